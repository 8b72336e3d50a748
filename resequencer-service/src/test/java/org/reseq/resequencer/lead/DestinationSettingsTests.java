package org.reseq.resequencer.lead;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.reseq.model.destination.FailurePolicy;

class DestinationSettingsTests {

    private final DestinationSettings settings = new DestinationSettings("orders");

    @Test
    void untilTheConfigurationIsKnownTheDefaultsHoldAndNothingIsCarried() {
        assertThat(settings.configJson()).isNull();
        assertThat(settings.maxBatch()).isEqualTo(DestinationSettings.DEFAULT_MAX_BATCH);
        assertThat(settings.onFailure()).isEqualTo(FailurePolicy.BLOCK);
    }

    @Test
    void takesTheBatchSizeAndTheFailurePolicyFromTheConfiguration() {
        String json = LeaderFixture.config("DEAD_LETTER", 7);

        settings.configure(json);

        assertThat(settings.configJson()).isEqualTo(json);
        assertThat(settings.maxBatch()).isEqualTo(7);
        assertThat(settings.onFailure()).isEqualTo(FailurePolicy.DEAD_LETTER);
    }

    @Test
    void anUnreadableConfigurationIsCarriedWhileTheLastReadableValuesStay() {
        settings.configure(LeaderFixture.config("DEAD_LETTER", 7));

        settings.configure("{not json");

        assertThat(settings.configJson()).isEqualTo("{not json");
        assertThat(settings.maxBatch()).isEqualTo(7);
        assertThat(settings.onFailure()).isEqualTo(FailurePolicy.DEAD_LETTER);
    }

    @Test
    void theTransformBudgetIsEveryAttemptToItsTimeoutWithTheWaitsBetween() {
        assertThat(settings.transformBudget()).as("unknown yet").isZero();

        settings.configure("""
                {"type":"HTTP","url":"http://127.0.0.1:9/in","transformTimeoutMs":120000,"transformAttempts":3}""");

        assertThat(settings.transformBudget()).isEqualTo(Duration.ofMinutes(6)
                .plus(DestinationSettings.WORKER_RETRY_MAX_DELAY.multipliedBy(2)));
    }
}
