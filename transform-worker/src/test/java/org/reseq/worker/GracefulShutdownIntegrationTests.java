package org.reseq.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reseq.infra.Infrastructure;
import org.reseq.model.destination.DestinationConfig;
import org.reseq.model.destination.DestinationConfigJson;
import org.reseq.model.destination.DestinationType;
import org.reseq.model.destination.TransformSpec;
import org.reseq.model.redis.Codec;
import org.reseq.model.redis.RedisKeys;
import org.reseq.model.redis.RedisTemplates;
import org.reseq.model.redis.WorkItem;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.RedisTemplate;

/**
 * Shutting a worker down: items in flight finish within the grace period; what still runs after
 * it, and what was held without ever starting, stays pending in Redis, with no result written,
 * for another worker to claim.
 */
class GracefulShutdownIntegrationTests {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private final RedisKeys keys = new RedisKeys("test-" + UUID.randomUUID() + ":");
    private LettuceConnectionFactory testConnections;
    private RedisTemplate<String, byte[]> redis;
    private ConfigurableApplicationContext worker;

    @BeforeEach
    void connect() {
        testConnections = new LettuceConnectionFactory(Infrastructure.redis().host(), Infrastructure.redis().port());
        testConnections.afterPropertiesSet();
        testConnections.start();
        redis = RedisTemplates.binary(testConnections);
    }

    @AfterEach
    void cleanUp() {
        if (worker != null) {
            worker.close();
        }
        Set<String> left = redis.keys(keys.prefix() + "*");
        if (left != null && !left.isEmpty()) {
            redis.delete(left);
        }
        testConnections.destroy();
    }

    @Test
    void itemsInFlightFinishBeforeShutdownCompletes() {
        worker = startWorker("10s");
        addItems("draining", 20, new TransformSpec.Delay(300L, 300L));
        awaitPending(20);

        worker.close();

        Map<Object, Object> done = redis.opsForHash().entries(ClaimedIncarnations.done(keys, "draining"));
        assertThat(done).hasSize(20);
        assertThat(done.values()).allSatisfy(value -> assertThat(Codec.decodeResult((byte[]) value).ok()).isTrue());
        assertThat(pendingCount()).isZero();
        assertThat(redis.opsForStream().size(keys.work())).isZero();
    }

    @Test
    void itemsStillRunningAfterTheGraceStayPendingWithoutAResult() {
        worker = startWorker("200ms");
        addItems("stuck", 5, new TransformSpec.Delay(3_600_000L, 3_600_000L));
        awaitPending(5);

        worker.close();

        assertThat(redis.opsForHash().size(ClaimedIncarnations.done(keys, "stuck"))).isZero();
        assertThat(pendingCount()).isEqualTo(5);
        assertThat(redis.opsForStream().size(keys.work())).isEqualTo(5);
    }

    @Test
    void heldItemsThatNeverStartedStayPendingWithoutAResult() {
        worker = startWorker("200ms", "--reseq.worker.max-in-flight=2");
        addItems("crowded", 5, new TransformSpec.Delay(3_600_000L, 3_600_000L));
        awaitPending(5);
        await().atMost(DEADLINE).until(() ->
                worker.getBean(MeterRegistry.class).get("reseq.worker.held").gauge().value() == 3);

        worker.close();

        assertThat(redis.opsForHash().size(ClaimedIncarnations.done(keys, "crowded"))).isZero();
        assertThat(pendingCount()).isEqualTo(5);
        assertThat(redis.opsForStream().size(keys.work())).isEqualTo(5);
    }

    private ConfigurableApplicationContext startWorker(String grace, String... moreArguments) {
        // Arguments, not default properties: application.yml would override those.
        List<String> arguments = new ArrayList<>(List.of("--spring.data.redis.url=" + Infrastructure.redis().url(),
                "--reseq.redis.key-prefix=" + keys.prefix(),
                "--reseq.instance-id=shutdown-test",
                "--reseq.worker.shutdown-grace=" + grace));
        arguments.addAll(List.of(moreArguments));
        return new SpringApplicationBuilder(TransformWorkerApplication.class)
                .web(WebApplicationType.NONE)
                .run(arguments.toArray(String[]::new));
    }

    private void addItems(String destination, int count, TransformSpec transform) {
        String config = DestinationConfigJson.write(new DestinationConfig(DestinationType.HTTP,
                "http://127.0.0.1:9/out", null, null, null, null, List.of(transform), null, null,
                3_600_000L, 1, null, null, null, null));
        ClaimedIncarnations.claim(redis, keys, destination);
        for (int sequence = 1; sequence <= count; sequence++) {
            WorkItem item = new WorkItem(destination, ClaimedIncarnations.ID, sequence, UUID.randomUUID(),
                    "text/plain", ("m" + sequence).getBytes(StandardCharsets.UTF_8), config, 0);
            redis.opsForStream().add(StreamRecords.newRecord().in(keys.work())
                    .ofMap(Map.of(RedisKeys.VALUE_FIELD, Codec.encode(item))));
        }
    }

    private void awaitPending(long count) {
        await().atMost(DEADLINE).until(() -> pendingCount() == count);
    }

    private long pendingCount() {
        return redis.opsForStream().pending(keys.work(), RedisKeys.WORKER_GROUP).getTotalPendingMessages();
    }
}
