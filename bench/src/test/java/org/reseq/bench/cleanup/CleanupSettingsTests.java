package org.reseq.bench.cleanup;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CleanupSettingsTests {

    @Test
    void partitionsAheadMustOutlastOneCleanupInterval() {
        assertThatThrownBy(() -> settings(Duration.ofSeconds(60), Duration.ofSeconds(30)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--partition-seconds");
        settings(Duration.ofSeconds(10), Duration.ofSeconds(60));
    }

    @Test
    void onlyKnownVariantsRun() {
        assertThatThrownBy(() -> new CleanupSettings("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "", 1000,
                1024, 2, Duration.ofMinutes(5), Duration.ZERO, Duration.ofSeconds(60), Duration.ofSeconds(10),
                Duration.ofSeconds(60), List.of("batched", "truncate"))).hasMessageContaining("--variants");
    }

    private static CleanupSettings settings(Duration interval, Duration width) {
        return new CleanupSettings("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "", 1000, 1024, 2,
                Duration.ofMinutes(5), Duration.ZERO, Duration.ofSeconds(60), interval, width, CleanupSettings.VARIANTS);
    }
}
