package org.reseq.bench.sink;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.reseq.bench.measure.DeliveryTimeline;

/**
 * What one run's destinations received: a {@link DeliveryTimeline} per destination, the moment of
 * the last receipt, and the outages the sink plays for the run ({@link #refuse}).
 *
 * <p>Thread-safe: the sink's event loops, the sender and the run's watcher use it at once.
 */
public final class Reception {

    private static final long NEVER = Long.MIN_VALUE;

    private final Map<String, DeliveryTimeline> timelines = new LinkedHashMap<>();
    private final Map<String, Integer> expected;
    private final Map<String, long[]> refusals = new ConcurrentHashMap<>();
    private final AtomicLong lastDelivery = new AtomicLong(NEVER);
    private final LongAdder refused = new LongAdder();

    /** @param expected how many sequences each destination should receive (1..n) */
    public Reception(Map<String, Integer> expected) {
        this.expected = Map.copyOf(expected);
        expected.forEach((destination, count) -> timelines.put(destination, new DeliveryTimeline(count)));
    }

    public Set<String> destinations() {
        return timelines.keySet();
    }

    /** @return the destination's timeline, or null when it is not one of this run's */
    public DeliveryTimeline timeline(String destination) {
        return timelines.get(destination);
    }

    public int expected(String destination) {
        return expected.getOrDefault(destination, 0);
    }

    /** Makes the sink answer 503 to deliveries to {@code destination} from one moment until another. */
    public void refuse(String destination, long fromNanos, long untilNanos) {
        refusals.put(destination, new long[] {fromNanos, untilNanos});
    }

    /** @return how many deliveries the sink refused on purpose */
    public long refused() {
        return refused.sum();
    }

    /** @return the moment of the last receipt of any destination, or empty before the first */
    public OptionalLong lastDeliveryNanos() {
        long last = lastDelivery.get();
        return last == NEVER ? OptionalLong.empty() : OptionalLong.of(last);
    }

    /** @return first receipts of expected sequences, across destinations */
    public long distinctDelivered() {
        long total = 0;
        for (Map.Entry<String, DeliveryTimeline> entry : timelines.entrySet()) {
            total += Math.min(entry.getValue().distinctDelivered(), expected(entry.getKey()));
        }
        return total;
    }

    /** @return every receipt so far, repeats included: what shows that something still moves */
    public long deliveries() {
        long total = 0;
        for (DeliveryTimeline timeline : timelines.values()) {
            total += timeline.deliveries();
        }
        return total;
    }

    /** @return true when every destination received every sequence it should */
    public boolean complete() {
        for (Map.Entry<String, DeliveryTimeline> entry : timelines.entrySet()) {
            if (entry.getValue().distinctDelivered() < expected(entry.getKey())) {
                return false;
            }
        }
        return true;
    }

    /** @return false when the sink is to refuse this delivery; else records it */
    boolean deliver(String destination, long sequence, long nanos) {
        long[] refusal = refusals.get(destination);
        if (refusal != null && nanos >= refusal[0] && nanos < refusal[1]) {
            refused.increment();
            return false;
        }
        DeliveryTimeline timeline = timelines.get(destination);
        if (timeline != null) {
            timeline.delivered(sequence, nanos);
            lastDelivery.accumulateAndGet(nanos, Math::max);
        }
        return true;
    }

    void ready(String destination, long sequence, long nanos) {
        DeliveryTimeline timeline = timelines.get(destination);
        if (timeline != null) {
            timeline.ready(sequence, nanos);
        }
    }
}
