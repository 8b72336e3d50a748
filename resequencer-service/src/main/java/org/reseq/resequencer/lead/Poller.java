package org.reseq.resequencer.lead;

import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import org.reseq.resequencer.dispatch.Progress;
import org.reseq.resequencer.lead.Rewinder.Rewind;
import org.reseq.resequencer.release.ResultBuffer.Check;
import org.reseq.resequencer.release.ResultBuffer.Fence;

/**
 * One look at PostgreSQL and Redis, the safety net for lost signals and the way to learn what no
 * signal announces: whether Redis still holds the destination's data and whether egress asked for
 * a rewind (either rewinds at once), the destination's progress and configuration, a finished head
 * whose done signal was lost, and the operators' queued commands.
 *
 * <p>Owned by the leader's thread.
 */
final class Poller {

    private final LedDestination led;
    private final LeaderContext context;
    private final Rewinder rewinder;
    private final OperatorCommandRunner operatorCommands;

    Poller(LedDestination led, LeaderContext context, Rewinder rewinder, OperatorCommandRunner operatorCommands) {
        this.led = led;
        this.context = context;
        this.rewinder = rewinder;
        this.operatorCommands = operatorCommands;
    }

    /**
     * Polls once.
     *
     * @return true when it learned what no signal had told: progress, a finished head, a rewind
     */
    boolean poll() throws SQLException {
        Check check = context.results().check(led.lease()); // LeaseLostException when a newer leader claimed it
        boolean news = false;
        if (check.fence() == Fence.MISSING) {
            rewinder.rewindNow(Rewind.redisLost("its fence key is missing: Redis lost its data"));
            news = true;
        } else if (check.rewindRequested()) {
            rewinder.rewindNow(Rewind.requestedByEgress());
            news = true;
        }
        Optional<Progress> progress = context.dispatcher().progress(led.name());
        if (progress.isEmpty()) {
            return news; // deleted: the lease keeper stops this leader on its next tick
        }
        boolean ingested = led.ingestedUpTo(progress.get().lastSequence());
        boolean delivered = led.deliveredUpTo(progress.get().delivered());
        news |= ingested || delivered;
        led.settings().configure(progress.get().configJson());
        Line line = led.line();
        if (!line.headKnown() && line.released() < led.lastSequence()) {
            // the head's done signal may have been lost: look in the buffer itself
            Map<Long, Boolean> found = context.results().scan(led.incarnation(), line.released(), line.known());
            found.forEach(line::finished);
            news |= line.headKnown();
        }
        operatorCommands.obey();
        return news;
    }
}
