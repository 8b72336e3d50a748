package org.reseq.bench.measure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class TimelineCsvTests {

    private static final long MS = 1_000_000L;

    @Test
    void writesEachSequenceWithTheMomentItBecameDeliverableInOrder() throws IOException {
        DeliveryTimeline timeline = new DeliveryTimeline(3);
        long origin = 5_000 * MS;
        timeline.arrived(1, origin);
        timeline.arrived(2, origin + 1 * MS);
        timeline.arrived(3, origin + 2 * MS);
        timeline.ready(1, origin + 900 * MS);
        timeline.ready(2, origin + 600 * MS);
        timeline.delivered(1, origin + 903 * MS);
        timeline.delivered(2, origin + 904 * MS);
        StringBuilder csv = new StringBuilder();

        timeline.writeCsv(csv, origin, 3);

        // 2 was ready first but could only go after 1; 3 was never ready nor delivered.
        assertThat(csv.toString()).isEqualTo("""
                sequence,arrived_us,ready_us,deliverable_us,delivered_us,overhead_us
                1,0,900000,900000,903000,3000
                2,1000,600000,900000,904000,4000
                3,2000,,900000,,
                """);
    }
}
