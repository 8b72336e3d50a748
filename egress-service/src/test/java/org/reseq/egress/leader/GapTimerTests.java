package org.reseq.egress.leader;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class GapTimerTests {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private final GapTimer timer = new GapTimer(Duration.ofSeconds(10));

    @Test
    void aLookIsDueOnceTheWaitReachedTheTimeoutAndAgainAfterEveryFurtherTimeout() {
        assertThat(timer.waiting(T0)).isFalse();
        assertThat(timer.waiting(T0.plusSeconds(9))).isFalse();
        assertThat(timer.waiting(T0.plusSeconds(10))).isTrue();
        assertThat(timer.waiting(T0.plusSeconds(11))).isFalse();
        assertThat(timer.waiting(T0.plusSeconds(19))).isFalse();
        assertThat(timer.waiting(T0.plusSeconds(20))).isTrue();
        assertThat(timer.waited(T0.plusSeconds(25))).isEqualTo(Duration.ofSeconds(25));
    }

    @Test
    void progressStartsTheWaitOver() {
        timer.waiting(T0);
        timer.waiting(T0.plusSeconds(10));

        timer.reset();

        assertThat(timer.waited(T0.plusSeconds(11))).isZero();
        assertThat(timer.waiting(T0.plusSeconds(11))).isFalse();
        assertThat(timer.waiting(T0.plusSeconds(20))).isFalse();
        assertThat(timer.waiting(T0.plusSeconds(21))).isTrue();
    }
}
