package org.reseq.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.validation.ValidationBindHandler;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.validation.beanvalidation.LocalValidatorFactoryBean;

class EgressPropertiesTests {

    @Test
    void everySettingHasADefault() {
        EgressProperties properties = bind(Map.of());

        assertThat(properties.egress().pollInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(properties.egress().leaseTick()).isEqualTo(Duration.ofSeconds(1));
        assertThat(properties.egress().retry().initialDelay()).isEqualTo(Duration.ofMillis(100));
        assertThat(properties.egress().retry().multiplier()).isEqualTo(2.0);
        assertThat(properties.egress().retry().maxDelay()).isEqualTo(Duration.ofSeconds(30));
        assertThat(properties.egress().retry().maxRetries()).isEqualTo(Long.MAX_VALUE);
        assertThat(properties.egress().gapTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(properties.egress().permanentFailureAttempts()).isEqualTo(3);
        assertThat(properties.egress().tls().bundle()).isNull();
        assertThat(properties.redis().keyPrefix()).isEqualTo("reseq:");
        assertThat(properties.instanceId()).endsWith("-" + ProcessHandle.current().pid());
        assertThat(properties.leases().renewInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(properties.leases().timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(properties.leases().jdbcUrl("jdbc:postgresql://pgbouncer:6432/reseq"))
                .as("without reseq.leases.jdbc-url the leases use the data source's URL")
                .isEqualTo("jdbc:postgresql://pgbouncer:6432/reseq");
    }

    @Test
    void leasesMayGoToPostgresDirectlyWhileTheDataSourceGoesThroughAPooler() {
        EgressProperties properties = bind(Map.of("reseq.leases.jdbc-url", "jdbc:postgresql://postgres:5432/reseq"));

        assertThat(properties.leases().jdbcUrl("jdbc:postgresql://pgbouncer:6432/reseq"))
                .isEqualTo("jdbc:postgresql://postgres:5432/reseq");
    }

    @Test
    void settingsBindFromTheirDocumentedNames() {
        EgressProperties properties = bind(Map.of(
                "reseq.egress.poll-interval", "50ms",
                "reseq.egress.lease-tick", "2s",
                "reseq.egress.retry.initial-delay", "5ms",
                "reseq.egress.retry.max-delay", "1m",
                "reseq.egress.retry.max-attempts", "5",
                "reseq.egress.gap-timeout", "30s",
                "reseq.egress.permanent-failure-attempts", "7",
                "reseq.egress.tls.bundle", "destinations",
                "reseq.redis.key-prefix", "blue:",
                "reseq.instance-id", "egress-1"));

        assertThat(properties.egress().pollInterval()).isEqualTo(Duration.ofMillis(50));
        assertThat(properties.egress().leaseTick()).isEqualTo(Duration.ofSeconds(2));
        assertThat(properties.egress().retry().initialDelay()).isEqualTo(Duration.ofMillis(5));
        assertThat(properties.egress().retry().maxDelay()).isEqualTo(Duration.ofMinutes(1));
        assertThat(properties.egress().retry().maxRetries()).isEqualTo(4);
        assertThat(properties.egress().gapTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(properties.egress().permanentFailureAttempts()).isEqualTo(7);
        assertThat(properties.egress().tls().bundle()).isEqualTo("destinations");
        assertThat(properties.redis().keyPrefix()).isEqualTo("blue:");
        assertThat(properties.instanceId()).isEqualTo("egress-1");
    }

    @Test
    void leaseTimingsBindFromTheirDocumentedNames() {
        EgressProperties properties = bind(Map.of("reseq.leases.renew-interval", "500ms", "reseq.leases.timeout", "5s"));

        assertThat(properties.leases().timings()).isEqualTo(
                new org.reseq.model.lease.LeaseTimings(Duration.ofMillis(500), Duration.ofSeconds(5)));
    }

    @Test
    void nonsenseIsRejectedAtStartup() {
        assertThatThrownBy(() -> bind(Map.of("reseq.egress.retry.max-attempts", "0")))
                .isInstanceOf(BindException.class);
        assertThatThrownBy(() -> bind(Map.of("reseq.egress.poll-interval", "0ms")))
                .isInstanceOf(BindException.class);
        assertThatThrownBy(() -> bind(Map.of("reseq.egress.gap-timeout", "0s")))
                .isInstanceOf(BindException.class);
        assertThatThrownBy(() -> bind(Map.of("reseq.egress.permanent-failure-attempts", "0")))
                .isInstanceOf(BindException.class);
        assertThatThrownBy(() -> bind(Map.of("reseq.leases.renew-interval", "5s")))
                .isInstanceOf(BindException.class)
                .rootCause().hasMessageContaining("at least three times reseq.leases.renew-interval");
    }

    private static EgressProperties bind(Map<String, String> settings) {
        try (LocalValidatorFactoryBean validator = new LocalValidatorFactoryBean()) {
            validator.afterPropertiesSet();
            return new Binder(new MapConfigurationPropertySource(settings))
                    .bindOrCreate("reseq", Bindable.of(EgressProperties.class), new ValidationBindHandler(validator));
        }
    }
}
