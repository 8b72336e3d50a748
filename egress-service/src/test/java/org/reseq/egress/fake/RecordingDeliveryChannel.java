package org.reseq.egress.fake;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.reseq.egress.BoundEgressProperties;
import org.reseq.egress.EgressProperties;
import org.reseq.egress.delivery.Delivery;
import org.reseq.egress.delivery.DeliveryAttemptFailedException;
import org.reseq.egress.delivery.DeliveryChannel;
import org.reseq.egress.delivery.DeliveryMetrics;
import org.reseq.egress.delivery.DeliveryRetry;
import org.reseq.egress.delivery.DeliveryStoppedException;
import org.reseq.egress.delivery.RetryGuard;
import org.reseq.model.destination.DestinationConfig;
import org.reseq.model.destination.DestinationType;
import org.reseq.model.destination.FailurePolicy;

/**
 * An HTTP destination in memory that records what it accepted: it accepts every message except
 * the sequences the test told it to reject, which it answers as a permanent rejection (a 4xx).
 * Failed attempts go through the real {@link DeliveryRetry} with millisecond backoff, and with
 * the same choice an HTTP channel makes once a message was rejected as often as allowed: keep
 * trying under {@code BLOCK}, give up otherwise, so that the destination's failure policy applies.
 *
 * <p>Thread-safe: the leader's thread delivers, the test's thread scripts and reads.
 */
public final class RecordingDeliveryChannel implements DeliveryChannel {

    /** Permanent rejections in a row before the failure policy applies. */
    public static final int PERMANENT_FAILURE_ATTEMPTS = 2;

    private final DeliveryRetry retry;
    private final List<Delivery> accepted = new CopyOnWriteArrayList<>();
    private final Set<Long> rejected = ConcurrentHashMap.newKeySet();
    private final Set<Long> unframeable = ConcurrentHashMap.newKeySet();
    private final Map<Long, AtomicLong> attempts = new ConcurrentHashMap<>();
    private final List<List<Long>> batches = new CopyOnWriteArrayList<>();

    public RecordingDeliveryChannel(DeliveryMetrics metrics) {
        EgressProperties properties = BoundEgressProperties.of(
                "reseq.egress.retry.initial-delay", "1ms", "reseq.egress.retry.multiplier", "1",
                "reseq.egress.retry.max-delay", "1ms",
                "reseq.egress.permanent-failure-attempts", String.valueOf(PERMANENT_FAILURE_ATTEMPTS));
        this.retry = new DeliveryRetry(properties, metrics);
    }

    /** {@code sequence} cannot be framed as the destination is configured (a line break for LINE framing). */
    public void cannotFrame(long sequence) {
        unframeable.add(sequence);
    }

    /** Every attempt at {@code sequence} is rejected for good from now on. */
    public void rejectForGood(long sequence) {
        rejected.add(sequence);
    }

    /** Every message accepted, in the order accepted. */
    public List<Delivery> accepted() {
        return List.copyOf(accepted);
    }

    /** The sequences accepted for {@code destination}, in the order accepted. */
    public List<Long> acceptedSequences(String destination) {
        return accepted.stream().filter(delivery -> delivery.destination().equals(destination))
                .map(Delivery::sequence).toList();
    }

    /** The sequences of every batch accepted, in the order accepted. */
    public List<List<Long>> acceptedBatches() {
        return List.copyOf(batches);
    }

    /** Attempts made at {@code sequence}, accepted or not. */
    public long attempts(long sequence) {
        AtomicLong count = attempts.get(sequence);
        return count == null ? 0 : count.get();
    }

    @Override
    public DestinationType type() {
        return DestinationType.HTTP;
    }

    @Override
    public void deliver(DestinationConfig config, Delivery delivery, RetryGuard guard) throws Exception {
        if (unframeable.contains(delivery.sequence())) {
            throw DeliveryStoppedException.undeliverable("the payload contains a line break, which LINE framing"
                    + " cannot carry");
        }
        DeliveryRetry.OnPermanentFailure onPermanent = config.onFailure() == FailurePolicy.BLOCK
                && !delivery.redelivery()
                ? DeliveryRetry.OnPermanentFailure.KEEP_TRYING : DeliveryRetry.OnPermanentFailure.GIVE_UP;
        retry.run(delivery.destination(), onPermanent, () -> attempt(delivery, guard), guard);
    }

    @Override
    public boolean batches() {
        return true;
    }

    /** As an HTTP destination takes a batch: all of it, or none when any one is rejected. */
    @Override
    public void deliverBatch(DestinationConfig config, List<Delivery> batch, RetryGuard guard) throws Exception {
        DeliveryRetry.OnPermanentFailure onPermanent = batch.size() == 1 && config.onFailure() == FailurePolicy.BLOCK
                ? DeliveryRetry.OnPermanentFailure.KEEP_TRYING : DeliveryRetry.OnPermanentFailure.GIVE_UP;
        retry.run(batch.getFirst().destination(), onPermanent, () -> {
            guard.beforeSend();
            for (Delivery delivery : batch) {
                attempts.computeIfAbsent(delivery.sequence(), sequence -> new AtomicLong()).incrementAndGet();
                if (rejected.contains(delivery.sequence())) {
                    throw DeliveryAttemptFailedException.permanent("422 Unprocessable Content");
                }
            }
            accepted.addAll(batch);
            batches.add(batch.stream().map(Delivery::sequence).toList());
        }, guard);
    }

    private void attempt(Delivery delivery, RetryGuard guard) throws DeliveryAttemptFailedException {
        guard.beforeSend();
        attempts.computeIfAbsent(delivery.sequence(), sequence -> new AtomicLong()).incrementAndGet();
        if (rejected.contains(delivery.sequence())) {
            throw DeliveryAttemptFailedException.permanent("422 Unprocessable Content");
        }
        accepted.add(delivery);
    }
}
