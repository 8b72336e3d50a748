package org.reseq.resequencer.lead;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class ResequencerMetricsTests {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ResequencerMetrics metrics = new ResequencerMetrics(registry);

    @Test
    void aLeaderThatEndsLeavesNoMetersOfItsDestinationAndTouchesNoOther() {
        metrics.leading("orders", 7);
        metrics.released("orders", 3, 10);
        metrics.rewound("orders", "requested", 8);
        metrics.leading("billing", 2);

        metrics.forget("orders");

        assertThat(registry.getMeters()).extracting(meter -> meter.getId().getTag("destination"))
                .containsOnly("billing");
        assertThat(registry.get("reseq.resequencer.released.cursor").tag("destination", "billing").gauge().value())
                .isEqualTo(2);
    }

    @Test
    void aNewLeaderOfAForgottenDestinationReportsItsOwnCursor() {
        metrics.leading("orders", 7);
        metrics.released("orders", 3, 10);
        metrics.forget("orders");

        metrics.leading("orders", 4);

        assertThat(registry.get("reseq.resequencer.released.cursor").tag("destination", "orders").gauge().value())
                .isEqualTo(4);
        assertThat(registry.get("reseq.resequencer.released").tag("destination", "orders").counter().count())
                .isZero();
        assertThat(registry.getMeters()).map(Meter::getId).map(id -> id.getName() + id.getTags())
                .doesNotHaveDuplicates();
    }

    @Test
    void aLeaderReportsItsLeaseWhileItLeads() {
        metrics.leading("orders", 7);

        assertThat(registry.get("reseq.leases.led").tags("destination", "orders", "role", "RESEQUENCER").gauge()
                .value()).isEqualTo(1);

        metrics.forget("orders");

        assertThat(registry.find("reseq.leases.led").gauges()).isEmpty();
    }
}
