package org.reseq.worker;

import io.lettuce.core.resource.Delay;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.reseq.model.guard.DestinationGuard;
import org.reseq.model.health.ReadinessGaugeConfiguration;
import org.reseq.model.tracing.MessageTracing;
import org.reseq.model.tracing.MessageTracingConfiguration;
import org.reseq.model.redis.RedisKeys;
import org.reseq.model.redis.RedisTemplates;
import org.reseq.model.security.DestinationGuardConfiguration;
import org.reseq.model.security.SuiteSecurityConfiguration;
import org.reseq.model.transform.TransformCatalog;
import org.reseq.worker.plugin.PluginLoader;
import org.reseq.worker.plugin.Plugins;
import org.reseq.worker.transform.ChainRunner;
import org.reseq.worker.transform.RetryBackoff;
import org.reseq.worker.transform.Transforms;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Wires the framework-free transform core, the shared Redis conventions and the destination
 * guard that {@code http} transforms connect through into Spring.
 */
@Configuration(proxyBeanMethods = false)
@Import({DestinationGuardConfiguration.class, SuiteSecurityConfiguration.class, ReadinessGaugeConfiguration.class,
        MessageTracingConfiguration.class})
class WorkerConfiguration {

    private static final Logger log = LoggerFactory.getLogger(WorkerConfiguration.class);

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    RedisKeys redisKeys(WorkerProperties properties) {
        return new RedisKeys(properties.redis().keyPrefix());
    }

    @Bean
    RedisTemplate<String, byte[]> binaryRedisTemplate(RedisConnectionFactory connectionFactory) {
        return RedisTemplates.binary(connectionFactory);
    }

    /**
     * Reconnects to a Redis that went away at most 5 s apart: Lettuce's default backoff grows to
     * 30 s, which would leave the worker idle for that long after Redis is back.
     */
    @Bean
    ClientResourcesBuilderCustomizer promptRedisReconnect() {
        return builder -> builder.reconnectDelay(
                Delay.exponential(Duration.ofMillis(100), Duration.ofSeconds(5), 2, TimeUnit.MILLISECONDS));
    }

    @Bean
    Plugins plugins(WorkerProperties properties) {
        Plugins plugins = PluginLoader.load(properties.worker().pluginDir());
        if (!plugins.sources().isEmpty()) {
            log.info("Transform plugins (type: source): {}", plugins.sources());
        }
        return plugins;
    }

    @Bean(destroyMethod = "close")
    Transforms transforms(WorkerProperties properties, DestinationGuard guard, Plugins plugins,
            MessageTracing tracing) {
        return Transforms.withDefaults(guard, Math.toIntExact(properties.worker().maxResultBytes().toBytes()),
                properties.worker().jsonata().limits(), plugins, tracing);
    }

    @Bean
    TransformCatalog transformCatalog(StringRedisTemplate redis, RedisKeys keys, Clock clock) {
        return new TransformCatalog(redis, keys, clock);
    }

    @Bean
    ChainRunner chainRunner(Clock clock, WorkerProperties properties, MessageTracing tracing) {
        WorkerProperties.Retry retry = properties.worker().retry();
        return new ChainRunner(clock, new RetryBackoff(retry.initialDelay(), retry.maxDelay()), tracing);
    }
}
