package org.reseq.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.reseq.worker.transform.JsonataLimits;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

class WorkerPropertiesTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(PropertiesOnly.class);

    @Test
    void claimsAreTakenAfterHalfAMinuteLookedForEveryFiveSeconds() {
        WorkerProperties.Worker defaults = bound().worker();

        assertThat(defaults.claimIdle()).isEqualTo(Duration.ofSeconds(30));
        assertThat(defaults.claimInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(defaults.isTimingValid()).isTrue();
    }

    @Test
    void goneConsumersAreRemovedAfterAnHour() {
        WorkerProperties.Worker defaults = bound().worker();

        assertThat(defaults.forgetConsumerIdle()).isEqualTo(Duration.ofHours(1));
        assertThat(defaults.isForgetConsumerIdleValid()).isTrue();
    }

    @Test
    void jsonataEvaluationsAreBoundedToASecondAndADepthOfTwoHundredUnlessConfigured() {
        WorkerProperties.Worker defaults = bound().worker();

        assertThat(defaults.jsonata().limits()).isEqualTo(new JsonataLimits(Duration.ofSeconds(1), 200));
        runner.withPropertyValues("reseq.worker.jsonata.timeout=250ms", "reseq.worker.jsonata.max-depth=50")
                .run(context -> assertThat(context.getBean(WorkerProperties.class).worker().jsonata().limits())
                        .isEqualTo(new JsonataLimits(Duration.ofMillis(250), 50)));
        runner.withPropertyValues("reseq.worker.jsonata.timeout=0s").run(context -> assertThat(context)
                .getFailure().hasStackTraceContaining("timeout must be positive"));
    }

    @Test
    void slotsAreSharedEvenlyWithinSixtyFourMegabytesAndAnswersAreLimitedLikeIngest() {
        WorkerProperties.Worker defaults = bound().worker();

        assertThat(defaults.maxInFlight()).isEqualTo(4000);
        assertThat(defaults.maxShare()).isEqualTo(1.0);
        assertThat(defaults.maxHeld()).isEqualTo(4000);
        assertThat(defaults.maxInFlightBytes()).isEqualTo(DataSize.ofMegabytes(64));
        assertThat(defaults.maxResultBytes()).isEqualTo(DataSize.ofMegabytes(1));
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

    @Test
    void consumersMayBeForgottenOnlyAfterTheirWorkCouldBeClaimed() {
        assertThat(forgetting(Duration.ofSeconds(30), Duration.ofSeconds(30)).isForgetConsumerIdleValid()).isFalse();
        assertThat(forgetting(Duration.ofSeconds(30), Duration.ofSeconds(29)).isForgetConsumerIdleValid()).isFalse();
        assertThat(forgetting(Duration.ofSeconds(30), Duration.ofSeconds(31)).isForgetConsumerIdleValid()).isTrue();
    }

    @Test
    void aForgetConsumerIdleNotAboveClaimIdleStopsTheStart() {
        runner.withPropertyValues("reseq.worker.claim-idle=2m", "reseq.worker.forget-consumer-idle=2m")
                .run(context -> assertThat(context).getFailure()
                        .hasStackTraceContaining("forget-consumer-idle must be greater than claim-idle"));
        runner.withPropertyValues("reseq.worker.claim-idle=2m", "reseq.worker.forget-consumer-idle=3m")
                .run(context -> assertThat(context.getBean(WorkerProperties.class).worker().forgetConsumerIdle())
                        .isEqualTo(Duration.ofMinutes(3)));
    }

    @Test
    void fairSharingSettingsBindFromTheirNames() {
        runner.withPropertyValues("reseq.worker.max-share=0.25", "reseq.worker.max-held=500",
                "reseq.worker.max-in-flight-bytes=8MB", "reseq.worker.max-result-bytes=64KB").run(context -> {
                    WorkerProperties.Worker worker = context.getBean(WorkerProperties.class).worker();
                    assertThat(worker.maxShare()).isEqualTo(0.25);
                    assertThat(worker.maxHeld()).isEqualTo(500);
                    assertThat(worker.maxInFlightBytes()).isEqualTo(DataSize.ofMegabytes(8));
                    assertThat(worker.maxResultBytes()).isEqualTo(DataSize.ofKilobytes(64));
                });
    }

    @Test
    void aShareOutsideZeroToOneStopsTheStartNamingTheProperty() {
        runner.withPropertyValues("reseq.worker.max-share=0").run(context -> assertThat(context).getFailure()
                .hasStackTraceContaining("reseq.worker.maxShare")
                .hasStackTraceContaining("must be above 0: a fraction of max-in-flight"));
        runner.withPropertyValues("reseq.worker.max-share=2").run(context -> assertThat(context).getFailure()
                .hasStackTraceContaining("reseq.worker.maxShare")
                .hasStackTraceContaining("must be at most 1: a fraction of max-in-flight"));
        runner.withPropertyValues("reseq.worker.max-share=1").run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void byteLimitsOutOfRangeStopTheStart() {
        runner.withPropertyValues("reseq.worker.max-in-flight-bytes=0B").run(context ->
                assertThat(context).getFailure().hasStackTraceContaining("max-in-flight-bytes must be positive"));
        runner.withPropertyValues("reseq.worker.max-result-bytes=1GB").run(context -> assertThat(context)
                .getFailure().hasStackTraceContaining("max-result-bytes must be between 1B and 256MB"));
        runner.withPropertyValues("reseq.worker.max-held=-1").run(context ->
                assertThat(context).getFailure().hasStackTraceContaining("maxHeld"));
    }

    private static WorkerProperties.Worker worker(Duration claimIdle, Duration claimInterval) {
        return bound("reseq.worker.claim-idle", claimIdle.toMillis() + "ms",
                "reseq.worker.claim-interval", claimInterval.toMillis() + "ms").worker();
    }

    private static WorkerProperties.Worker forgetting(Duration claimIdle, Duration forgetConsumerIdle) {
        return bound("reseq.worker.claim-idle", claimIdle.toMillis() + "ms",
                "reseq.worker.forget-consumer-idle", forgetConsumerIdle.toMillis() + "ms").worker();
    }

    /** Bound as the service binds them, without validation, so that invalid combinations can be asked about. */
    private static WorkerProperties bound(String... settings) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i + 1 < settings.length; i += 2) {
            values.put(settings[i], settings[i + 1]);
        }
        return new Binder(new MapConfigurationPropertySource(values))
                .bindOrCreate("reseq", Bindable.of(WorkerProperties.class));
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(WorkerProperties.class)
    static class PropertiesOnly {
    }
}
