package org.reseq.egress.fake;

import java.util.UUID;
import org.reseq.infra.Infrastructure;
import org.reseq.infra.RedisServerAddress;
import org.reseq.model.redis.RedisKeys;
import org.reseq.model.redis.RedisTemplates;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * One connection to the test Redis for the contract tests that run without a Spring context,
 * opened at first use and kept for the test JVM's life. Each test class takes its own key prefix.
 */
public final class SharedRedis {

    private static LettuceConnectionFactory connections;

    private SharedRedis() {
    }

    /** Keys under a prefix of their own, so that test classes never see each other's. */
    public static RedisKeys freshKeys() {
        return new RedisKeys("contract-" + UUID.randomUUID() + ":");
    }

    public static synchronized StringRedisTemplate strings() {
        return new StringRedisTemplate(connections());
    }

    public static synchronized RedisTemplate<String, byte[]> binary() {
        return RedisTemplates.binary(connections());
    }

    public static synchronized RedisConnectionFactory connectionFactory() {
        return connections();
    }

    private static LettuceConnectionFactory connections() {
        if (connections == null) {
            RedisServerAddress address = Infrastructure.redis();
            connections = new LettuceConnectionFactory(
                    new RedisStandaloneConfiguration(address.host(), address.port()));
            connections.afterPropertiesSet();
            connections.start();
        }
        return connections;
    }
}
