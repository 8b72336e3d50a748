package org.reseq.bench.send;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryAfterTests {

    @Test
    void waitsTheSecondsTheServerAsksForUpToACap() {
        assertThat(RetryAfter.of("2")).isEqualTo(Duration.ofSeconds(2));
        assertThat(RetryAfter.of(" 1 ")).isEqualTo(Duration.ofSeconds(1));
        assertThat(RetryAfter.of("3600")).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void fallsBackToAShortPauseForAnythingElse() {
        assertThat(RetryAfter.of(null)).isEqualTo(RetryAfter.DEFAULT);
        assertThat(RetryAfter.of("0")).isEqualTo(RetryAfter.DEFAULT);
        assertThat(RetryAfter.of("Wed, 21 Oct 2026 07:28:00 GMT")).isEqualTo(RetryAfter.DEFAULT);
    }
}
