package org.reseq.resequencer.lead;

import java.sql.SQLException;
import org.reseq.model.lease.LeaseRole;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a destination's line again from the delivered cursor, when Redis lost the destination's
 * data (its fence is gone) or egress asked for it: released := delivered (a fenced cursor write),
 * every result known in memory forgotten (Redis may no longer hold them), the fence claimed again,
 * and everything after delivered dispatched again from PostgreSQL by the {@link DispatchWindow}.
 * Results already in the out stream reach egress twice at most, and egress drops repeats.
 *
 * <p>A rewind stays pending until it completes: one that fails halfway (PostgreSQL or Redis out of
 * reach) is carried out again from the start.
 *
 * <p>Owned by the leader's thread.
 */
final class Rewinder {

    private static final Logger log = LoggerFactory.getLogger(Rewinder.class);

    private final LedDestination led;
    private final LeaderContext context;
    private final Wakeups wakeups;
    private final DispatchWindow dispatchWindow;
    private final FailedHeads failedHeads;
    /** The rewind that is due, null when none is. */
    private Rewind pending;

    Rewinder(LedDestination led, LeaderContext context, Wakeups wakeups, DispatchWindow dispatchWindow,
             FailedHeads failedHeads) {
        this.led = led;
        this.context = context;
        this.wakeups = wakeups;
        this.dispatchWindow = dispatchWindow;
        this.failedHeads = failedHeads;
    }

    /** Makes {@code due} the rewind to carry out at the next {@link #carryOutPending()}. */
    void schedule(Rewind due) {
        pending = due;
    }

    /** Whether a rewind is due: nothing else may change the line before it completes. */
    boolean pending() {
        return pending != null;
    }

    /** Carries out {@code due} now. */
    void rewindNow(Rewind due) throws SQLException {
        pending = due;
        carryOutPending();
    }

    /** Carries out the rewind that is due, if one is; it stays due when this throws. */
    void carryOutPending() throws SQLException {
        if (pending == null) {
            return;
        }
        long deliveredNow = context.cursors().position(led.name(), LeaseRole.EGRESS);
        context.cursors().advance(led.lease(), deliveredNow); // LeaseLostException when fenced off
        long from = led.line().released();
        led.line().restart(deliveredNow);
        led.deliveredUpTo(deliveredNow);
        wakeups.forgetStale();
        dispatchWindow.reset();
        failedHeads.reset();
        context.results().claim(led.lease()); // LeaseLostException when a newer leader claimed it
        if (!pending.quiet() || from != deliveredNow) {
            log.warn("Rewound {} from released #{} to delivered #{} because {}; dispatching the rest again",
                    led.name(), from, deliveredNow, pending.reason());
            context.metrics().rewound(led.name(), pending.tag(), deliveredNow);
        }
        pending = null;
    }

    /**
     * A rewind that is due.
     *
     * @param tag the metric's reason tag
     * @param reason why, for the log
     * @param quiet whether it is news only when it moves the released cursor (at start, a missing
     *        fence is also what a destination that never released anything looks like)
     */
    record Rewind(String tag, String reason, boolean quiet) {

        private static final String REDIS_LOST = "redis-lost";
        private static final String REQUESTED = "requested";

        /** Redis lost the destination's data, for the reason given. */
        static Rewind redisLost(String reason) {
            return new Rewind(REDIS_LOST, reason, false);
        }

        /** The fence was missing when the leader claimed it: lost data, or nothing was ever released. */
        static Rewind fenceMissingAtStart() {
            return new Rewind(REDIS_LOST, "its fence key was missing when this leader started", true);
        }

        /** Egress found a gap in the out stream and asked for a rewind. */
        static Rewind requestedByEgress() {
            return new Rewind(REQUESTED, "egress asked for it (a gap in the out stream)", false);
        }
    }
}
