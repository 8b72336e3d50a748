package org.reseq.egress.delivery;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.stereotype.Component;

/**
 * The egress meters, tagged by destination. They live while this instance leads the destination:
 * a leader that ends removes them, so that a destination deleted or led elsewhere leaves no stale
 * series and no memory behind. Thread-safe (Micrometer caches the meters).
 */
@Component
public final class DeliveryMetrics {

    private final MeterRegistry registry;

    public DeliveryMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Removes the destination's meters; called by its leader as it ends. */
    public void forget(String destination) {
        registry.getMeters().stream()
                .filter(meter -> meter.getId().getName().startsWith("reseq.egress.")
                        && destination.equals(meter.getId().getTag("destination")))
                .forEach(registry::remove);
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
