package org.reseq.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

class IngressPropertiesTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(PropertiesOnly.class);

    @Test
    void defaultsWorkOnADeveloperMachine() {
        runner.run(context -> {
            IngressProperties properties = context.getBean(IngressProperties.class);
            assertThat(properties.ingest().maxPayloadSize()).isEqualTo(DataSize.ofMegabytes(1));
            assertThat(properties.ingest().groupCommit().enabled()).isTrue();
            assertThat(properties.ingest().groupCommit().maxBatch()).isEqualTo(256);
            assertThat(properties.ingest().groupCommit().linger()).isEqualTo(Duration.ofMillis(2));
            assertThat(properties.ingest().backpressure().refresh()).isEqualTo(Duration.ofMillis(200));
            assertThat(properties.ingest().idempotency().retention()).isEqualTo(Duration.ofHours(24));
            assertThat(properties.ingest().idempotency().cleanupInterval()).isEqualTo(Duration.ofMinutes(1));
            assertThat(properties.ingest().idempotency().cleanupBatch()).isEqualTo(1000);
            assertThat(properties.redis().keyPrefix()).isEqualTo("reseq:");
            assertThat(properties.instanceId()).isNotBlank();
        });
    }

    @Test
    void settingsBindFromTheirNames() {
        runner.withPropertyValues("reseq.ingest.max-payload-size=64KB", "reseq.ingest.group-commit.enabled=false",
                        "reseq.ingest.group-commit.max-batch=8", "reseq.ingest.group-commit.linger=5ms",
                        "reseq.redis.key-prefix=staging:", "reseq.instance-id=ingress-1",
                        "reseq.ingest.backpressure.refresh=0ms", "reseq.ingest.idempotency.retention=7d",
                        "reseq.ingest.idempotency.cleanup-interval=10s", "reseq.ingest.idempotency.cleanup-batch=50")
                .run(context -> {
                    IngressProperties properties = context.getBean(IngressProperties.class);
                    assertThat(properties.ingest().maxPayloadSize()).isEqualTo(DataSize.ofKilobytes(64));
                    assertThat(properties.ingest().groupCommit().enabled()).isFalse();
                    assertThat(properties.ingest().groupCommit().maxBatch()).isEqualTo(8);
                    assertThat(properties.ingest().groupCommit().linger()).isEqualTo(Duration.ofMillis(5));
                    assertThat(properties.redis().keyPrefix()).isEqualTo("staging:");
                    assertThat(properties.instanceId()).isEqualTo("ingress-1");
                    assertThat(properties.ingest().backpressure().refresh()).isZero();
                    assertThat(properties.ingest().idempotency().retention()).isEqualTo(Duration.ofDays(7));
                    assertThat(properties.ingest().idempotency().cleanupInterval()).isEqualTo(Duration.ofSeconds(10));
                    assertThat(properties.ingest().idempotency().cleanupBatch()).isEqualTo(50);
                });
    }

    @Test
    void invalidSettingsStopTheStart() {
        runner.withPropertyValues("reseq.ingest.group-commit.max-batch=0").run(context ->
                assertThat(context).getFailure().hasStackTraceContaining("maxBatch"));
        runner.withPropertyValues("reseq.ingest.group-commit.linger=5s").run(context ->
                assertThat(context).getFailure().hasStackTraceContaining("lingerInRange"));
        runner.withPropertyValues("reseq.ingest.max-payload-size=1GB").run(context ->
                assertThat(context).getFailure().hasStackTraceContaining("maxPayloadSizeInRange"));
        runner.withPropertyValues("reseq.ingest.backpressure.refresh=-1ms").run(context ->
                assertThat(context).getFailure().hasStackTraceContaining("refreshInRange"));
        runner.withPropertyValues("reseq.ingest.idempotency.retention=0s").run(context ->
                assertThat(context).getFailure().hasStackTraceContaining("retentionInRange"));
        runner.withPropertyValues("reseq.ingest.idempotency.cleanup-batch=0").run(context ->
                assertThat(context).getFailure().hasStackTraceContaining("cleanupBatch"));
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(IngressProperties.class)
    static class PropertiesOnly {
    }
}
