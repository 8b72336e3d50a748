package org.reseq.egress.leader;

import java.sql.SQLException;
import org.reseq.egress.delivery.DeliveryMetrics;
import org.reseq.egress.delivery.DeliveryStoppedException;
import org.reseq.model.destination.DestinationConfig;
import org.reseq.model.destination.FailurePolicy;
import org.reseq.model.failure.DeadLetter;
import org.reseq.model.lease.Lease;
import org.reseq.model.redis.TransformResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What becomes of the message in line when its delivery stopped without the destination
 * accepting it. Rejected for good under {@code onFailure: DEAD_LETTER}, it is recorded as a
 * {@code DELIVERY} dead letter with its transformed payload and passed over, so that delivery
 * goes on in order. In every other case it stays next in line, and the log says why: rejected
 * under {@code BLOCK} (retried slowly), undeliverable as the destination is configured (said once
 * per message, not every round), attempts used up, the leader stopping, an operator's
 * redelivery going first, or the destination paused, changed or deleted.
 *
 * <p>Not thread-safe: owned by the leader's thread, for one lease.
 */
final class StoppedDeliveryOutcome {

    private static final Logger log = LoggerFactory.getLogger(StoppedDeliveryOutcome.class);

    private final String destination;
    private final Lease lease;
    private final DeliveryDeadLetters deadLetters;
    private final DeliveryMetrics metrics;
    private final StopSignal stop;
    private final RetryGuards guards;
    private final BlockedHead blockedHead;
    /** The sequence last reported as undeliverable as configured, so that it is logged once, not every round. */
    private long reportedUndeliverable;

    StoppedDeliveryOutcome(String destination, Lease lease, LeaderContext context, StopSignal stop,
                           RetryGuards guards, BlockedHead blockedHead) {
        this.destination = destination;
        this.lease = lease;
        this.deadLetters = context.deadLetters();
        this.metrics = context.metrics();
        this.stop = stop;
        this.guards = guards;
        this.blockedHead = blockedHead;
    }

    /**
     * Applies the destination's failure policy to {@code result}, whose delivery stopped with {@code e}.
     *
     * @return true when the message was dead-lettered and is passed over; false when it stays next in line
     * @throws org.reseq.model.lease.LeaseLostException when the dead letter was refused: another holder took the lease
     */
    boolean passOver(TransformResult result, DestinationConfig config, DeliveryStoppedException e)
            throws SQLException {
        long sequence = result.sequence();
        boolean never = e.permanentlyRejected() || e.undeliverable();
        if (never && config.onFailure() == FailurePolicy.DEAD_LETTER) {
            deadLetter(result, e);
            return true;
        }
        if (never) {
            // a message rejected for good under BLOCK is held while it is still retried: see RetryGuard#holding
            blockedHead.heldAt(sequence, e.getMessage());
        }
        if (e.permanentlyRejected()) {
            log.error("{}: sequence {} was rejected: {}; it stays next in line until an operator skips it",
                    destination, sequence, e.getMessage());
        } else if (e.undeliverable()) {
            if (reportedUndeliverable != sequence) {
                reportedUndeliverable = sequence;
                log.error("{}: sequence {} cannot be delivered as the destination is configured: {}; it stays next"
                        + " in line until an operator skips it or the destination is reconfigured", destination,
                        sequence, e.getMessage());
            }
        } else if (e.attemptsExhausted()) {
            log.error("{}: sequence {} was not accepted: {}; trying again later", destination, sequence,
                    e.getMessage());
        } else if (stop.requested()) {
            log.debug("{}: sequence {} waits for the next leader: this one is stopping", destination, sequence);
        } else if (guards.yieldedToRedeliveries()) {
            log.debug("{}: sequence {} waits while an operator's redelivery goes first", destination, sequence);
        } else {
            log.info("{}: {} for sequence {}, as the destination was paused, changed or deleted", destination,
                    e.getMessage(), sequence);
        }
        return false;
    }

    /**
     * Records the held head an operator skipped as a SKIPPED dead letter; the caller then passes
     * over it.
     *
     * @throws org.reseq.model.lease.LeaseLostException when the dead letter was refused: another holder took the lease
     */
    void skipped(TransformResult result) throws SQLException {
        record(result, DeadLetter.Stage.SKIPPED, "skipped by an operator while egress held it", 0);
        metrics.deadLettered(destination).increment();
        log.warn("{}: sequence {} was skipped by an operator; recorded as a dead letter, delivery goes on",
                destination, result.sequence());
    }

    private void deadLetter(TransformResult result, DeliveryStoppedException e) throws SQLException {
        record(result, DeadLetter.Stage.DELIVERY, e.getMessage(), (int) Math.min(e.attempts(), Integer.MAX_VALUE));
        metrics.deadLettered(destination).increment();
        log.warn("{}: sequence {} was rejected for good ({}); recorded as a dead letter, delivery goes on",
                destination, result.sequence(), e.getMessage());
    }

    private void record(TransformResult result, DeadLetter.Stage stage, String error, int attempts)
            throws SQLException {
        deadLetters.record(lease, stage, result.sequence(), result.messageId(), error, attempts,
                result.contentType() == null ? "" : result.contentType(),
                result.payload() == null ? new byte[0] : result.payload(), result.headers());
    }
}
