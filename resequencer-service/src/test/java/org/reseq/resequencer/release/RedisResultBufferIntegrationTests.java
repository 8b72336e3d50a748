package org.reseq.resequencer.release;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.reseq.infra.Infrastructure;
import org.reseq.infra.RedisServerAddress;
import org.reseq.model.redis.Codec;
import org.reseq.model.redis.RedisKeys;
import org.reseq.model.redis.RedisTemplates;
import org.reseq.model.redis.TransformResult;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.core.StringRedisTemplate;

/** The contract against Redis and the release, claim and check scripts. */
class RedisResultBufferIntegrationTests extends ResultBufferContract {

    private static LettuceConnectionFactory connections;
    private static RedisTemplate<String, byte[]> redis;
    private static StringRedisTemplate strings;
    private static final RedisKeys KEYS = new RedisKeys("contract-" + UUID.randomUUID() + ":");

    private final RedisResultBuffer buffer = new RedisResultBuffer(redis, strings, KEYS);

    @BeforeAll
    static void connect() {
        RedisServerAddress address = Infrastructure.redis();
        connections = new LettuceConnectionFactory(new RedisStandaloneConfiguration(address.host(), address.port()));
        connections.afterPropertiesSet();
        connections.start();
        redis = RedisTemplates.binary(connections);
        strings = new StringRedisTemplate(connections);
    }

    @AfterAll
    static void disconnect() {
        connections.destroy();
    }

    @Override
    ResultBuffer buffer() {
        return buffer;
    }

    @Override
    void finished(String destination, TransformResult result) {
        redis.opsForHash().put(KEYS.done(destination), Long.toString(result.sequence()), Codec.encode(result));
    }

    @Override
    List<Long> released(String destination) {
        return redis.opsForStream().range(KEYS.out(destination), org.springframework.data.domain.Range.unbounded())
                .stream()
                .map(entry -> Codec.decodeResult((byte[]) entry.getValue().get(RedisKeys.VALUE_FIELD)).sequence())
                .toList();
    }

    @Override
    void requestRewind(String destination) {
        strings.opsForValue().set(KEYS.rewind(destination), "0");
    }

    @Override
    void lose(String destination) {
        redis.delete(List.of(KEYS.done(destination), KEYS.out(destination), KEYS.fence(destination),
                KEYS.rewind(destination)));
    }
}
