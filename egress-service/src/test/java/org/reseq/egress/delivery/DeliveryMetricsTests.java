package org.reseq.egress.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DeliveryMetricsTests {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final DeliveryMetrics metrics = new DeliveryMetrics(registry);

    @Test
    void aLeaderThatEndsLeavesNoMetersOfItsDestinationAndTouchesNoOther() {
        metrics.delivered("orders").increment();
        metrics.delivery("orders").record(Duration.ofMillis(3));
        metrics.retries("orders").increment();
        metrics.delivered("billing").increment(2);

        metrics.forget("orders");

        assertThat(registry.getMeters()).extracting(meter -> meter.getId().getTag("destination"))
                .containsOnly("billing");
        assertThat(metrics.delivered("billing").count()).isEqualTo(2);
        assertThat(metrics.delivered("orders").count()).isZero();
    }

    @Test
    void aLeaderReportsItsLeaseAndDeliveredCursorWhileItLeads() {
        metrics.leading("orders", 7);
        metrics.deliveredCursor("orders", 9);

        assertThat(registry.get("reseq.leases.led").tags("destination", "orders", "role", "EGRESS").gauge().value())
                .isEqualTo(1);
        assertThat(registry.get("reseq.egress.delivered.cursor").tag("destination", "orders").gauge().value())
                .isEqualTo(9);

        metrics.forget("orders");
        metrics.leading("orders", 3);

        assertThat(registry.get("reseq.egress.delivered.cursor").tag("destination", "orders").gauge().value())
                .isEqualTo(3);
        metrics.forget("orders");
        assertThat(registry.getMeters()).isEmpty();
    }
}
