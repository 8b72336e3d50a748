package org.reseq.resequencer.lead;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.reseq.model.metrics.MetersByDestination;
import org.springframework.stereotype.Component;

/**
 * The resequencer's meters, tagged by destination. They live while this instance leads the
 * destination: a leader that ends removes them, so that a destination deleted or led elsewhere
 * leaves no stale series (a released cursor that no longer moves) and no memory behind.
 * Thread-safe.
 */
@Component
class ResequencerMetrics {

    /** The gauge of the leases this instance leads: 1 per destination while it leads it. */
    static final String LEASES_LED = "reseq.leases.led";

    private final MeterRegistry registry;
    private final MetersByDestination byDestination;
    private final Map<String, AtomicLong> releasedCursors = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> blockedHeads = new ConcurrentHashMap<>();

    ResequencerMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.byDestination = new MetersByDestination(registry);
    }

    /**
     * Registers the destination's meters when a leader starts, so they exist before the first batch,
     * among them {@code reseq.leases.led} (role RESEQUENCER): 1 while this instance leads it.
     */
    void leading(String destination, long cursor) {
        registry.counter("reseq.resequencer.dispatched", "destination", destination);
        registry.counter("reseq.resequencer.released", "destination", destination);
        registry.counter("reseq.resequencer.head.redispatched", "destination", destination);
        for (String stage : new String[] {"TRANSFORM", "SKIPPED"}) {
            registry.counter("reseq.resequencer.dead.lettered", "destination", destination, "stage", stage);
        }
        gauge("reseq.resequencer.released.cursor", releasedCursors, destination).set(cursor);
        gauge("reseq.resequencer.blocked.sequence", blockedHeads, destination).set(0);
        Gauge.builder(LEASES_LED, () -> 1).tags("destination", destination, "role", "RESEQUENCER")
                .description("1 while this instance leads the destination in this role").register(registry);
    }

    void dispatched(String destination, int count) {
        registry.counter("reseq.resequencer.dispatched", "destination", destination).increment(count);
    }

    void released(String destination, long count, long cursor) {
        registry.counter("reseq.resequencer.released", "destination", destination).increment(count);
        gauge("reseq.resequencer.released.cursor", releasedCursors, destination).set(cursor);
    }

    /** The head of the line waited past its deadline and was dispatched again. */
    void headRedispatched(String destination) {
        registry.counter("reseq.resequencer.head.redispatched", "destination", destination).increment();
    }

    /**
     * A delivery was recorded as a dead letter and released as a failed placeholder.
     *
     * @param stage why: {@code TRANSFORM} (the DEAD_LETTER policy) or {@code SKIPPED} (an operator)
     */
    void deadLettered(String destination, String stage) {
        registry.counter("reseq.resequencer.dead.lettered", "destination", destination, "stage", stage).increment();
    }

    /**
     * The released cursor went back to the delivered one, and everything after it is dispatched again.
     *
     * @param reason why, as a tag: {@code redis-lost} or {@code requested}
     */
    void rewound(String destination, String reason, long cursor) {
        registry.counter("reseq.resequencer.rewinds", "destination", destination, "reason", reason).increment();
        gauge("reseq.resequencer.released.cursor", releasedCursors, destination).set(cursor);
    }

    /** The sequence the destination is blocked at, 0 when it is not blocked. */
    void blockedAt(String destination, long sequence) {
        gauge("reseq.resequencer.blocked.sequence", blockedHeads, destination).set(sequence);
    }

    /** Removes the destination's meters; called by its leader as it ends. */
    void forget(String destination) {
        releasedCursors.remove(destination);
        blockedHeads.remove(destination);
        byDestination.remove(destination,
                name -> name.startsWith("reseq.resequencer.") || name.equals(LEASES_LED));
    }

    private AtomicLong gauge(String name, Map<String, AtomicLong> values, String destination) {
        return values.computeIfAbsent(destination,
                d -> registry.gauge(name, Tags.of("destination", d), new AtomicLong()));
    }
}
