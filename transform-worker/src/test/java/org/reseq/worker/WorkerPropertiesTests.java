package org.reseq.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WorkerPropertiesTests {

    @Test
    void claimsAreTakenAfterHalfAMinuteLookedForEveryFiveSeconds() {
        WorkerProperties.Worker defaults = new WorkerProperties(null, null, null).worker();

        assertThat(defaults.claimIdle()).isEqualTo(Duration.ofSeconds(30));
        assertThat(defaults.claimInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(defaults.isTimingValid()).isTrue();
    }

    @Test
    void aClaimIdleTimeUnderASecondIsRejected() {
        assertThat(worker(Duration.ofMillis(999), Duration.ofSeconds(1)).isTimingValid()).isFalse();
        assertThat(worker(Duration.ofSeconds(1), Duration.ofSeconds(1)).isTimingValid()).isTrue();
    }

    @Test
    void aClaimIntervalMustBePositive() {
        assertThat(worker(Duration.ofSeconds(30), Duration.ZERO).isTimingValid()).isFalse();
    }

    private static WorkerProperties.Worker worker(Duration claimIdle, Duration claimInterval) {
        return new WorkerProperties.Worker(null, null, null, claimIdle, claimInterval);
    }
}
