package org.reseq.egress;

import java.time.Clock;
import javax.sql.DataSource;
import org.reseq.egress.delivery.DestinationTls;
import org.reseq.model.destination.DestinationRepository;
import org.reseq.model.failure.DeadLetters;
import org.reseq.model.health.ReadinessGaugeConfiguration;
import org.reseq.model.tracing.MessageTracingConfiguration;
import org.reseq.model.lease.FencedCursors;
import org.reseq.model.redis.RedisKeys;
import org.reseq.model.redis.RedisTemplates;
import org.reseq.model.security.DestinationGuardConfiguration;
import org.reseq.model.security.SuiteSecurityConfiguration;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.RedisTemplate;

/**
 * The shared building blocks every egress capability uses, the destination guard every delivery
 * channel connects through and the TLS they reach TLS destinations with among them.
 */
@Configuration(proxyBeanMethods = false)
@Import({DestinationGuardConfiguration.class, SuiteSecurityConfiguration.class, ReadinessGaugeConfiguration.class,
        MessageTracingConfiguration.class})
class EgressConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** From {@code reseq.egress.tls.bundle}; an unknown bundle stops the start. */
    @Bean
    DestinationTls destinationTls(EgressProperties properties, SslBundles bundles) {
        return DestinationTls.of(properties.egress().tls().bundle(), bundles);
    }

    @Bean
    RedisKeys redisKeys(EgressProperties properties) {
        return new RedisKeys(properties.redis().keyPrefix());
    }

    @Bean
    RedisTemplate<String, byte[]> binaryRedisTemplate(RedisConnectionFactory connectionFactory) {
        return RedisTemplates.binary(connectionFactory);
    }

    @Bean
    FencedCursors fencedCursors(DataSource dataSource) {
        return new FencedCursors(dataSource);
    }

    @Bean
    DeadLetters deadLetters(DataSource dataSource) {
        return new DeadLetters(dataSource);
    }

    @Bean
    DestinationRepository destinationRepository(DataSource dataSource) {
        return new DestinationRepository(dataSource);
    }
}
