package org.reseq.worker;

import java.time.Clock;
import org.reseq.model.redis.RedisKeys;
import org.reseq.model.redis.RedisTemplates;
import org.reseq.worker.transform.ChainRunner;
import org.reseq.worker.transform.RetryBackoff;
import org.reseq.worker.transform.Transforms;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.RedisTemplate;

/** Wires the framework-free transform core and the shared Redis conventions into Spring. */
@Configuration(proxyBeanMethods = false)
class WorkerConfiguration {

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

    @Bean(destroyMethod = "close")
    Transforms transforms() {
        return Transforms.withDefaults();
    }

    @Bean
    ChainRunner chainRunner(Clock clock, WorkerProperties properties) {
        WorkerProperties.Retry retry = properties.worker().retry();
        return new ChainRunner(clock, new RetryBackoff(retry.initialDelay(), retry.maxDelay()));
    }
}
