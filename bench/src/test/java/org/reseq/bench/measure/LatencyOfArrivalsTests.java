package org.reseq.bench.measure;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatencyOfArrivalsTests {

    private static final long MS = 1_000_000L;

    @Test
    void takesOnlyTheDeliveredSequencesThatArrivedWithinThePeriod() {
        DeliveryTimeline timeline = new DeliveryTimeline(4);
        timeline.arrived(1, 0);
        timeline.arrived(2, 100 * MS);
        timeline.arrived(3, 200 * MS);
        timeline.arrived(4, 300 * MS);
        timeline.delivered(1, 10 * MS);
        timeline.delivered(2, 150 * MS);
        timeline.delivered(3, 290 * MS);

        Distribution early = timeline.latencyOfArrivals(0, 150 * MS);
        Distribution late = timeline.latencyOfArrivals(150 * MS, 400 * MS);

        assertThat(early.count()).isEqualTo(2);
        assertThat(early.p50Ms()).isEqualTo(10.0);
        assertThat(early.maxMs()).isEqualTo(50.0);
        // Sequence 4 arrived but was never delivered: not a latency.
        assertThat(late.count()).isEqualTo(1);
        assertThat(late.p50Ms()).isEqualTo(90.0);
        assertThat(timeline.latencyOfArrivals(400 * MS, 500 * MS)).isEqualTo(Distribution.EMPTY);
    }
}
