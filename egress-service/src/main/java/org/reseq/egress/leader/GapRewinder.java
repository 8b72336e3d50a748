package org.reseq.egress.leader;

import java.sql.SQLException;
import java.time.Clock;
import org.reseq.egress.delivery.DeliveryMetrics;
import org.reseq.model.lease.Cursors;
import org.reseq.model.lease.LeaseRole;
import org.reseq.model.redis.Incarnation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds results lost on their way to the out stream and has them released again. When nothing
 * could be delivered for a gap timeout ({@link GapTimer}) while the resequencer's released cursor
 * says it released past the delivered cursor P, then P + 1 was lost (Redis lost data): the
 * resequencer is asked to release again from P, and again after every further timeout while the
 * gap lasts. Not before: a gap the resequencer has not released yet is a transform still
 * running, for its own watchdog.
 *
 * <p>Not thread-safe: owned by the leader's thread.
 */
final class GapRewinder {

    private static final Logger log = LoggerFactory.getLogger(GapRewinder.class);

    private final String destination;
    private final Cursors cursors;
    private final OutStream out;
    private final DeliveryMetrics metrics;
    private final Clock clock;
    private final OrderedReader reader;
    private final GapTimer gap;
    /** Whether the last look, a gap timeout after the last delivery, found nothing released past the stored cursor. */
    private boolean caughtUp;

    GapRewinder(String destination, LeaderContext context, OrderedReader reader) {
        this.destination = destination;
        this.cursors = context.cursors();
        this.out = context.out();
        this.metrics = context.metrics();
        this.clock = context.clock();
        this.reader = reader;
        this.gap = new GapTimer(context.gapTimeout());
    }

    /** Delivery went on, or stopped for a reason other than a gap (paused, a store or the destination down). */
    void reset() {
        gap.reset();
        caughtUp = false;
    }

    /**
     * Whether the resequencer had released nothing past the stored cursor when last looked at, a gap
     * timeout after the last delivery: then the leader waits for news only, its own clock has
     * nothing to time.
     */
    boolean caughtUp() {
        return caughtUp;
    }

    /**
     * Nothing was delivered this round although nothing stopped it: asks for a rewind when the
     * wait lasted a gap timeout and the resequencer released past {@code committed}.
     *
     * @param committed the stored delivered cursor, from which the resequencer releases again
     */
    void nothingDelivered(long committed) throws SQLException {
        if (gap.waiting(clock.instant())) {
            rewindIfReleased(committed);
        }
    }

    private void rewindIfReleased(long committed) throws SQLException {
        long released = cursors.position(destination, LeaseRole.RESEQUENCER);
        caughtUp = released <= committed;
        if (caughtUp) {
            return;
        }
        out.requestRewind(reader.incarnation(), committed);
        metrics.rewinds(destination).increment();
        String held = reader.lowestHeld().map(sequence -> "the out stream holds " + sequence + " next")
                .orElse("the out stream holds nothing past it");
        log.warn("{}: waited {} ms for sequence {}, released up to {}, but {}; asked the resequencer to release again"
                        + " after {}", destination, gap.waited(clock.instant()).toMillis(), committed + 1,
                released, held, committed);
    }
}
