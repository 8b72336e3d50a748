package org.reseq.ingress;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import javax.sql.DataSource;
import org.reseq.ingress.backpressure.BackpressureGate;
import org.reseq.ingress.backpressure.JdbcBacklogSource;
import org.reseq.ingress.commit.BatchCommitter;
import org.reseq.ingress.commit.CommitPipeline;
import org.reseq.ingress.commit.DirectCommitter;
import org.reseq.ingress.commit.GroupCommitter;
import org.reseq.ingress.commit.JdbcBatchCommitter;
import org.reseq.ingress.commit.JdbcReceipts;
import org.reseq.ingress.commit.MeteredBatchCommitter;
import org.reseq.ingress.commit.RedisIngestedSignals;
import org.reseq.ingress.ingest.MessageIds;
import org.reseq.model.health.ReadinessGaugeConfiguration;
import org.reseq.model.tracing.MessageTracingConfiguration;
import org.reseq.model.redis.RedisKeys;
import org.reseq.model.redis.RedisTemplates;
import org.reseq.model.security.DestinationGuardConfiguration;
import org.reseq.model.security.SuiteSecurityConfiguration;
import org.reseq.model.transform.TransformCatalog;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.DeserializationFeature;

/**
 * Wires the ingress: clock, Redis keys and templates, the commit pipeline, the back-pressure gate
 * and the destination guard the admin API checks destinations with.
 */
@Configuration(proxyBeanMethods = false)
@Import({DestinationGuardConfiguration.class, SuiteSecurityConfiguration.class, ReadinessGaugeConfiguration.class,
        MessageTracingConfiguration.class})
class IngressConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    RedisKeys redisKeys(IngressProperties properties) {
        return new RedisKeys(properties.redis().keyPrefix());
    }

    @Bean
    RedisTemplate<String, byte[]> binaryRedisTemplate(RedisConnectionFactory connectionFactory) {
        return RedisTemplates.binary(connectionFactory);
    }

    @Bean
    TransformCatalog transformCatalog(StringRedisTemplate redis, RedisKeys keys, Clock clock) {
        return new TransformCatalog(redis, keys, clock);
    }

    @Bean
    MessageIds messageIds(Clock clock) {
        return new MessageIds(clock);
    }

    @Bean
    JdbcReceipts jdbcReceipts(DataSource dataSource) {
        return new JdbcReceipts(dataSource);
    }

    @Bean
    RedisIngestedSignals ingestedSignals(StringRedisTemplate redis, RedisKeys keys) {
        return new RedisIngestedSignals(redis, keys);
    }

    /** Group commit by default; one transaction per request when disabled (a benchmark baseline). */
    @Bean
    CommitPipeline commitPipeline(DataSource dataSource, RedisIngestedSignals signals, IngressProperties properties,
            MeterRegistry registry) {
        BatchCommitter committer = new MeteredBatchCommitter(new JdbcBatchCommitter(dataSource), registry);
        IngressProperties.GroupCommit settings = properties.ingest().groupCommit();
        if (!settings.enabled()) {
            return new DirectCommitter(committer, signals);
        }
        GroupCommitter groupCommitter = new GroupCommitter(committer, signals, settings.maxBatch(), settings.linger());
        Gauge.builder("reseq.ingress.commit.waiting", groupCommitter, GroupCommitter::waiting)
                .description("Messages waiting for the group committer").register(registry);
        return groupCommitter;
    }

    @Bean
    BackpressureGate backpressureGate(JdbcClient jdbc, IngressProperties properties) {
        return new BackpressureGate(new JdbcBacklogSource(jdbc), properties.ingest().backpressure().refresh());
    }

    /** Request bodies are strict: a field the API does not know is an error, not silently dropped. */
    @Bean
    JsonMapperBuilderCustomizer strictRequestBodies() {
        return builder -> builder.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }
}
