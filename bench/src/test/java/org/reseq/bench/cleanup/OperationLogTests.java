package org.reseq.bench.cleanup;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.reseq.bench.measure.Distribution;

class OperationLogTests {

    @Test
    void splitsDurationsByWhetherACleanupRanMeanwhile() {
        OperationLog log = new OperationLog();
        for (int k = 0; k < 100_000; k++) {
            log.add(k * 10_000_000L, 1_000_000L);
        }
        log.add(1_000_000_000_000L, 50_000_000L);
        CleanupWindows windows = new CleanupWindows(new long[][] {{1_000_000_010_000L, 1_000_000_020_000L}});

        Distribution during = log.split(windows, true);
        Distribution outside = log.split(windows, false);

        assertThat(log.size()).isEqualTo(100_001);
        assertThat(during.count()).isEqualTo(1);
        assertThat(during.maxMs()).isEqualTo(50.0);
        assertThat(outside.count()).isEqualTo(100_000);
        assertThat(outside.maxMs()).isEqualTo(1.0);
        assertThat(log.all().maxMs()).isEqualTo(50.0);
    }

    @Test
    void takesTheOperationsThatStartedInAnInterval() {
        OperationLog log = new OperationLog();
        log.add(0, 1_000_000L);
        log.add(59_999_999_999L, 2_000_000L);
        log.add(60_000_000_000L, 3_000_000L);

        assertThat(log.startedBetween(0, 60_000_000_000L).count()).isEqualTo(2);
        assertThat(log.startedBetween(60_000_000_000L, 120_000_000_000L).maxMs()).isEqualTo(3.0);
    }
}
