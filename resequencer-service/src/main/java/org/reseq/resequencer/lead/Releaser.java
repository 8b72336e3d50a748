package org.reseq.resequencer.lead;

import java.sql.SQLException;
import org.reseq.model.failure.DeadLetter.Stage;
import org.reseq.model.redis.TransformResult;
import org.reseq.resequencer.release.ReleasePlan;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves the line's results to the destination's out stream, in order: the contiguous run after the
 * released cursor, batch after batch of at most the destination's {@code maxBatch}, each one
 * atomic and fenced by the lease's epoch. A failed head goes to {@link FailedHeads}, which may let
 * it pass; one that stays blocks the line, which is logged once when it blocks and once when it
 * moves on. Also releases the placeholder of a head an operator skipped.
 *
 * <p>Owned by the leader's thread.
 */
final class Releaser {

    private static final Logger log = LoggerFactory.getLogger(Releaser.class);

    private final LedDestination led;
    private final LeaderContext context;
    private final FailedHeads failedHeads;
    private final ReleasedCursor cursor;
    /** The sequence the line is blocked at as last logged and measured, 0 when it is not blocked. */
    private long blockedAt;

    Releaser(LedDestination led, LeaderContext context, FailedHeads failedHeads, ReleasedCursor cursor) {
        this.led = led;
        this.context = context;
        this.failedHeads = failedHeads;
        this.cursor = cursor;
    }

    /**
     * Releases everything that may go out now, stopping early when a result turned out to be
     * missing from Redis (the line dispatches it again from there).
     */
    void release() throws SQLException {
        Line line = led.line();
        while (true) {
            ReleasePlan plan = line.plan(led.settings().maxBatch());
            if (plan.headFailed() && failedHeads.handle(plan.first())) {
                continue;
            }
            noteBlocked(plan);
            if (plan.isEmpty()) {
                return;
            }
            // LeaseLostException past the term or when fenced off; RedisDataLostException when the fence is gone
            long moved = context.results().release(led.lease(), plan.first(), plan.last());
            boolean complete = line.released(plan, moved);
            if (moved > 0) {
                // The script told egress already. The cursor is committed later, paced (see
                // ReleasedCursor): one behind what was released costs a repeat after a failover at
                // most, never an order or a message.
                context.metrics().released(led.name(), moved, line.released());
            }
            if (!complete) {
                log.warn("The result of {} #{} is missing from Redis; dispatching again from there", led.name(),
                        line.released() + 1);
                return;
            }
        }
    }

    /**
     * Releases a skipped head's placeholder in its place, replacing any result it has, atomically,
     * and commits the cursor at once.
     */
    void releaseSkipped(TransformResult placeholder) throws SQLException {
        Line line = led.line();
        long sequence = placeholder.sequence();
        long moved = context.results().releaseInstead(led.lease(), sequence, placeholder);
        line.released(new ReleasePlan(sequence - 1, 1, false), moved);
        context.metrics().released(led.name(), moved, line.released());
        context.metrics().deadLettered(led.name(), Stage.SKIPPED.name());
        cursor.commit();
        log.warn("An operator skipped {} #{}: dead-lettered, the rest goes on in order", led.name(), sequence);
    }

    private void noteBlocked(ReleasePlan plan) {
        long blocked = plan.headFailed() ? plan.first() : 0;
        if (blocked == blockedAt) {
            return;
        }
        if (blocked > 0) {
            log.warn("{} is blocked at #{}: its transform failed for good; later results wait behind it",
                    led.name(), blocked);
        } else {
            log.info("{} is no longer blocked at #{}", led.name(), blockedAt);
        }
        blockedAt = blocked;
        context.metrics().blockedAt(led.name(), blocked);
    }
}
