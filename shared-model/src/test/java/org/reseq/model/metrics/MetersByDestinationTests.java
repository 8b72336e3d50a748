package org.reseq.model.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class MetersByDestinationTests {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MetersByDestination byDestination = new MetersByDestination(registry);

    @Test
    void removesOnlyTheNamedMetersOfThatDestination() {
        registry.counter("reseq.egress.delivered", "destination", "orders");
        registry.timer("reseq.egress.delivery", "destination", "orders");
        registry.counter("reseq.egress.delivered", "destination", "billing");
        registry.counter("reseq.leases.led", "destination", "orders");
        registry.counter("reseq.egress.delivered");

        byDestination.remove("orders", name -> name.startsWith("reseq.egress."));

        assertThat(registry.getMeters()).extracting(meter -> meter.getId().getName() + "/"
                + meter.getId().getTag("destination")).containsExactlyInAnyOrder(
                "reseq.egress.delivered/billing", "reseq.leases.led/orders", "reseq.egress.delivered/null");
    }

    @Test
    void aMeterRemovedElsewhereIsForgottenAndOneRegisteredAgainIsRemovedAgain() {
        Meter counter = registry.counter("reseq.egress.delivered", "destination", "orders");
        registry.remove(counter);
        registry.counter("reseq.egress.delivered", "destination", "orders");

        byDestination.remove("orders", name -> true);
        byDestination.remove("unknown", name -> true);

        assertThat(registry.getMeters()).isEmpty();
    }
}
