package org.reseq.egress.leader;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.reseq.model.leader.LeaderSweep;
import org.reseq.model.leader.Mailbox;
import org.reseq.model.leader.StoreOutage;
import org.reseq.model.lease.CommitPacer;
import org.reseq.model.lease.Lease;
import org.reseq.model.lease.PollPace;
import org.reseq.model.lease.StoppableLeader;
import org.reseq.model.redis.Incarnation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;

/**
 * Delivers one destination's out stream strictly in sequence order while this instance holds the
 * destination's EGRESS lease: a loop of {@link DeliveryRound}s, woken by released signals and
 * changes, and paced by polls when none come.
 *
 * <p>With P the delivered cursor, it delivers P + 1 next, whenever the {@link OrderedReader} has
 * read it; results further on are read ahead and wait for their turn, repeats are removed unsent.
 * At most every {@code cursorCommitInterval} ({@link CommitPacer}), before backing off from a
 * failed attempt and when handing over, it moves the cursor (fenced by the lease's epoch),
 * removes the consumed entries and publishes a delivered signal ({@link DeliveredCursor}). A gap
 * that lasts while the resequencer says it released past it is asked to be released again
 * ({@link GapRewinder}).
 *
 * <p>Failures: a message the destination rejects permanently (see {@code DeliveryRetry}) stays
 * next in line under {@code onFailure: BLOCK}, retried slowly; under {@code DEAD_LETTER} it is
 * recorded as a dead letter and passed over ({@link StoppedDeliveryOutcome}). The operators'
 * redelivery commands are carried out after each round's ordered deliveries, outside the order
 * and without moving the cursor ({@link OperatorRedeliveries}).
 *
 * <p>Outages: when PostgreSQL or Redis cannot be reached the leader pauses. It keeps what it
 * delivered in memory, delivers nothing more until that is stored, and tries again every poll
 * interval; it resumes by itself once both answer.
 *
 * <p>Rounds that no signal starts are the safety net for lost released signals: after one that
 * found nothing, the next comes later and later, up to the idle poll interval ({@link PollPace});
 * one that delivered something no signal announced, or a store that failed, brings the poll
 * interval back. The destination is read again at least every idle poll interval, at once after
 * a change made through the admin API, and every poll interval while a delivery is retried.
 * While the leader is quiet ({@link DeliveryRound#quiet()}) the instance's {@link LeaderSweep}
 * watches its destination with all the others, and its own rounds back off to
 * {@link LeaderSweep#QUIET_POLL_INTERVAL}.
 *
 * <p>Threads: one instance per lease, run by {@link org.reseq.model.lease.LeaseKeeper} on its own
 * platform thread (ADR 11). That thread owns every field and every collaborator of a round; the
 * retry guards run on it too, called back synchronously by the delivery channel. The only contact
 * with other threads is the {@link Mailbox}, which the pub/sub listener posts to, and
 * {@link #stop()}: the lease is being given up, so the leader's thread leaves its wait or its
 * backoff, a delivery in flight is aborted through its channel, and the leader commits what was
 * delivered and returns. No interrupt is needed, so no database connection is broken halfway. A
 * {@code LeaseLostException} (a fenced write, or a term that ended) is not caught here: it ends
 * the leader at once, without a hand-over.
 */
final class EgressLeader implements StoppableLeader {

    private static final Logger log = LoggerFactory.getLogger(EgressLeader.class);
    /** Results held ahead of a gap at most; far above the resequencer's window, so only a safeguard. */
    static final int READ_AHEAD_LIMIT = 10_000;
    /** The most payload a leader holds read ahead of delivery: large messages are read a few at a time. */
    static final long READ_AHEAD_BYTES = 32L * 1024 * 1024;

    private final String destination;
    private final LeaderContext context;
    private final CurrentDestination current;
    private final PollPace pollPace;
    private final StoreOutage outage;
    /** Requested by {@link #stop()}, on the lease keeper's thread. */
    private final StopSignal stop = new StopSignal();
    private volatile Mailbox<Wakeup> mailbox;

    EgressLeader(String destination, LeaderContext context) {
        this.destination = destination;
        this.context = context;
        this.current = new CurrentDestination(destination, context);
        this.pollPace = PollPace.watchedBySweep(context.pollInterval(), context.idlePollInterval());
        this.outage = new StoreOutage(log, "Delivery to " + destination, context.clock());
    }

    /**
     * Asks {@link #lead} to return soon: ends its wait or its backoff and aborts a delivery in
     * flight. Called on the lease keeper's thread; only sets flags and wakes.
     */
    @Override
    public void stop() {
        stop.request();
        Mailbox<Wakeup> open = mailbox;
        if (open != null) {
            open.nudge();
        }
        context.channels().abort(destination);
    }

    @Override
    public void lead(Lease lease) throws Exception {
        OrderedReader reader = new OrderedReader(Incarnation.of(lease), context.out(), READ_AHEAD_LIMIT,
                READ_AHEAD_BYTES);
        DeliveredCursor cursor = new DeliveredCursor(destination, lease, context, reader);
        DeliveryRound round = new DeliveryRound(destination, lease, context, current, reader, cursor, stop);
        Mailbox<Wakeup> opened = context.mailboxes().open(destination);
        mailbox = opened;
        context.metrics().leading(destination, lease.position());
        try {
            deliverUntilStopped(opened, round, cursor);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // stopped the hard way, after the stop grace
        } finally {
            mailbox = null;
            context.mailboxes().close(destination, opened);
            context.channels().release(destination);
            context.metrics().forget(destination);
        }
        if (current.known()) {
            cursor.handOver();
        }
    }

    private void deliverUntilStopped(Mailbox<Wakeup> mailbox, DeliveryRound round, DeliveredCursor cursor)
            throws Exception {
        boolean polling = false; // whether this round comes from a wait that no signal ended
        List<Wakeup> woken = List.of();
        while (!stop.requested() && !Thread.currentThread().isInterrupted()) {
            boolean more;
            if (woken.contains(Wakeup.CHANGED)) {
                current.expire(); // an operator changed it: configuration, pause flag or a redelivery
            }
            long before = cursor.delivered();
            try {
                // Changes are signalled (expire above): reading the destination again is a safety net.
                if (!current.refreshIfOlderThan(context.idlePollInterval())) {
                    log.info("{} was deleted; its egress leader stops", destination);
                    return;
                }
                more = round.run();
                outage.succeeded("delivered #" + cursor.delivered());
            } catch (SQLException | DataAccessException e) {
                round.failed();
                outage.failed(e, "delivery waits after #" + cursor.delivered() + " (stored: #" + cursor.committed()
                        + ")");
                more = false;
            }
            if (polling) {
                // news: it delivered what no signal had announced, or a store failed
                pollPace.polled(cursor.delivered() > before || outage.ongoing());
            }
            pollPace.quiet(!more && !outage.ongoing() && round.quiet());
            // with more to deliver, only what came meanwhile is taken: a change must not wait a round
            woken = mailbox.take(more ? Duration.ZERO : cursor.maxWait(pollPace.interval()));
            polling = !more && woken.isEmpty();
        }
    }
}
