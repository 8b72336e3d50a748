package org.reseq.worker.consume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reseq.infra.Infrastructure;
import org.reseq.model.redis.RedisKeys;
import org.reseq.model.redis.RedisTemplates;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.connection.stream.Consumer;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.connection.stream.StreamReadOptions;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.RedisTemplate;

/** Removing gone consumers counts them, and a Redis failure is reported as none removed, not thrown. */
class GoneConsumersIntegrationTests {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final Duration FORGET_IDLE = Duration.ofMillis(5);

    private final RedisKeys keys = new RedisKeys("test-" + UUID.randomUUID() + ":");
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private LettuceConnectionFactory factory;
    private RedisTemplate<String, byte[]> redis;
    private RedisWorkStream stream;
    private GoneConsumers goneConsumers;

    @BeforeEach
    void connect() {
        factory = new LettuceConnectionFactory(Infrastructure.redis().host(), Infrastructure.redis().port());
        factory.afterPropertiesSet();
        factory.start();
        redis = RedisTemplates.binary(factory);
        stream = new RedisWorkStream(redis, keys);
        goneConsumers = new GoneConsumers(stream, new WorkerMetrics(registry), "me", FORGET_IDLE);
    }

    @AfterEach
    void disconnect() {
        redis.delete(keys.work());
        factory.destroy();
    }

    @Test
    void removedConsumersAreCounted() {
        stream.ensureGroup();
        String id = redis.opsForStream().add(StreamRecords.newRecord().in(keys.work())
                .ofMap(Map.of(RedisKeys.VALUE_FIELD, "x".getBytes(StandardCharsets.UTF_8)))).getValue();
        redis.opsForStream().read(Consumer.from(RedisKeys.WORKER_GROUP, "gone"), StreamReadOptions.empty().count(1),
                StreamOffset.create(keys.work(), ReadOffset.lastConsumed()));
        redis.opsForStream().acknowledge(keys.work(), RedisKeys.WORKER_GROUP, id);
        await().atMost(DEADLINE).until(() -> redis.opsForStream().consumers(keys.work(), RedisKeys.WORKER_GROUP)
                .stream().allMatch(consumer -> consumer.idleTimeMs() >= FORGET_IDLE.toMillis()));

        assertThat(goneConsumers.forget()).isEqualTo(1);
        assertThat(goneConsumers.forget()).isZero();
        assertThat(registry.get("reseq.worker.consumers.removed").counter().count()).isEqualTo(1.0);
        assertThat(redis.opsForStream().consumers(keys.work(), RedisKeys.WORKER_GROUP)).isEmpty();
    }

    @Test
    void aRedisFailureRemovesNothingAndIsNotThrown() {
        // Not a stream: XINFO CONSUMERS fails, as it does while the stream is gone.
        redis.opsForValue().set(keys.work(), "not a stream".getBytes(StandardCharsets.UTF_8));

        assertThat(goneConsumers.forget()).isZero();
        assertThat(goneConsumers.forget()).isZero();
        assertThat(registry.get("reseq.worker.consumers.removed").counter().count()).isZero();

        redis.delete(keys.work());
        stream.ensureGroup();
        assertThat(goneConsumers.forget()).isZero();
    }
}
