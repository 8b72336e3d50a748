package org.reseq.egress.delivery;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.reseq.model.metrics.MetersByDestination;
import org.springframework.stereotype.Component;

/**
 * The egress meters, tagged by destination. They live while this instance leads the destination:
 * a leader that ends removes them, so that a destination deleted or led elsewhere leaves no stale
 * series and no memory behind. Thread-safe (Micrometer caches the meters).
 */
@Component
public final class DeliveryMetrics {

    /** The gauge of the leases this instance leads: 1 per destination while it leads it. */
    public static final String LEASES_LED = "reseq.leases.led";

    private final MeterRegistry registry;
    private final MetersByDestination byDestination;
    private final Map<String, AtomicLong> deliveredCursors = new ConcurrentHashMap<>();

    public DeliveryMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.byDestination = new MetersByDestination(registry);
    }

    /**
     * Registers the destination's meters when its leader starts, so that rates exist (at 0) before
     * the first retry or dead letter, among them the lease held ({@code reseq.leases.led}, role
     * EGRESS) and the delivered cursor.
     */
    public void leading(String destination, long cursor) {
        delivered(destination);
        delivery(destination);
        retries(destination);
        rewinds(destination);
        deadLettered(destination);
        redelivered(destination);
        Gauge.builder(LEASES_LED, () -> 1).tags("destination", destination, "role", "EGRESS")
                .description("1 while this instance leads the destination in this role").register(registry);
        deliveredCursor(destination, cursor);
    }

    /** The highest sequence the destination accepted (ahead of the stored cursor until the next flush). */
    public void deliveredCursor(String destination, long cursor) {
        deliveredCursors.computeIfAbsent(destination, d -> registry.gauge("reseq.egress.delivered.cursor",
                Tags.of("destination", d), new AtomicLong())).set(cursor);
    }

    /** Removes the destination's meters; called by its leader as it ends. */
    public void forget(String destination) {
        deliveredCursors.remove(destination);
        byDestination.remove(destination, name -> name.startsWith("reseq.egress.") || name.equals(LEASES_LED));
    }

    /** Messages accepted by their destination. */
    public Counter delivered(String destination) {
        return Counter.builder("reseq.egress.delivered").description("Messages accepted by their destination")
                .tag("destination", destination).register(registry);
    }

    /** Time from the first attempt to acceptance, retries included. */
    public Timer delivery(String destination) {
        return Timer.builder("reseq.egress.delivery").description("Time to deliver one message, retries included")
                .tag("destination", destination).register(registry);
    }

    /** Delivery attempts after a failed one. */
    public Counter retries(String destination) {
        return Counter.builder("reseq.egress.retries").description("Delivery attempts after a failed attempt")
                .tag("destination", destination).register(registry);
    }

    /** Requests to the resequencer to release again from the delivered cursor, after a gap. */
    public Counter rewinds(String destination) {
        return Counter.builder("reseq.egress.rewinds")
                .description("Requests to release again from the delivered cursor after a gap in the out stream")
                .tag("destination", destination).register(registry);
    }

    /** Messages a destination rejected for good and that were recorded as dead letters, in order. */
    public Counter deadLettered(String destination) {
        return Counter.builder("reseq.egress.dead.lettered")
                .description("Messages rejected permanently by their destination and dead-lettered")
                .tag("destination", destination).register(registry);
    }

    /** Dead letters an operator had redelivered, accepted by their destination. */
    public Counter redelivered(String destination) {
        return Counter.builder("reseq.egress.redelivered")
                .description("Dead letters redelivered on an operator's command and accepted")
                .tag("destination", destination).register(registry);
    }
}
