package org.reseq.egress.leader;

import java.sql.SQLException;
import java.time.Duration;
import org.reseq.egress.delivery.DeliveryMetrics;
import org.reseq.model.lease.CommitPacer;
import org.reseq.model.lease.Cursors;
import org.reseq.model.lease.Lease;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.stream.RecordId;

/**
 * A leader's delivered cursor: how far the destination accepted, and how far of that is stored
 * in PostgreSQL. Storing it is paced ({@link CommitPacer}): a new leader starts from the stored
 * cursor, so a lag costs at most a few messages delivered again with the same idempotency keys,
 * never one lost. Only once the cursor is stored are the consumed entries removed from the out
 * stream and the resequencer told, so that nothing the cursor does not cover yet is gone.
 *
 * <p>Not thread-safe: owned by the leader's thread, for one lease.
 */
final class DeliveredCursor {

    private static final Logger log = LoggerFactory.getLogger(DeliveredCursor.class);

    private final String destination;
    private final Lease lease;
    private final Cursors cursors;
    private final OutStream out;
    private final OrderedReader reader;
    private final CommitPacer commits;
    private final DeliveryMetrics metrics;
    /** The delivered cursor as stored in PostgreSQL. */
    private long committed;
    /** The highest sequence the destination accepted; ahead of {@link #committed} until the next flush. */
    private long delivered;

    DeliveredCursor(String destination, Lease lease, LeaderContext context, OrderedReader reader) {
        this.destination = destination;
        this.lease = lease;
        this.cursors = context.cursors();
        this.out = context.out();
        this.reader = reader;
        this.commits = new CommitPacer(context.cursorCommitInterval());
        this.metrics = context.metrics();
        this.committed = lease.position();
        this.delivered = lease.position();
    }

    long delivered() {
        return delivered;
    }

    long committed() {
        return committed;
    }

    /** The result in line was delivered, or deliberately passed over: the cursor moves to it. */
    void consumed(ReadAhead.Held<RecordId> next) {
        delivered = next.sequence();
        reader.consumed(next);
        metrics.deliveredCursor(destination, delivered);
    }

    /** How long the leader may wait for news: {@code atMost}, or less when a commit falls due sooner. */
    Duration maxWait(Duration atMost) {
        return commits.maxWait(delivered > committed, atMost);
    }

    /** {@link #flush()} when the pacing allows; after a failed commit, at once. */
    void flushIfDue() throws SQLException {
        if (commits.due()) {
            flush();
        }
    }

    /** Moves the stored cursor to what was delivered, then removes the consumed entries and signals. */
    void flush() throws SQLException {
        if (delivered > committed) {
            long position = delivered;
            cursors.advance(lease, position);
            committed = position;
            commits.committed();
            reader.removeConsumed();
            try {
                out.publishDelivered(destination, committed);
            } catch (RuntimeException e) {
                log.debug("Could not publish the delivered signal of {}: {}", destination, e.toString());
            }
        } else {
            reader.removeConsumed();
        }
    }

    /**
     * Stores what was delivered before the lease goes to another instance. A store out of reach
     * costs the next leader some messages delivered again, which is why this is only logged.
     */
    void handOver() {
        if (delivered <= committed) {
            return;
        }
        // Waiting with the interrupt flag set would end at once: clear it for this last write and
        // set it again afterwards.
        boolean interrupted = Thread.interrupted();
        try {
            flush();
        } catch (SQLException | DataAccessException e) {
            log.info("{}: could not store the delivered cursor {} when handing over ({}); the next leader delivers"
                    + " from {} again, with the same idempotency keys", destination, delivered, e.toString(), committed);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
