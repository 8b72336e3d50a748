package org.reseq.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
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
import org.reseq.model.redis.TransformResult;
import org.reseq.model.redis.WorkItem;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.PendingMessage;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/**
 * One destination floods the work stream with slow items; another destination's few items,
 * added behind the flood, still get their share of the worker's slots once the slow items
 * running now end, instead of waiting for the whole flood.
 */
class FairSharingIntegrationTests {

    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final int MAX_IN_FLIGHT = 8;
    private static final Duration CLAIM_IDLE = Duration.ofSeconds(2);
    private static final long SLOW_MS = 3_000;
    /** Six waves of slow items: the old way, items added behind them waited about five of them. */
    private static final int FLOOD = 6 * MAX_IN_FLIGHT;
    private static final int QUICK = 3;
    /** One slow transform's time and a margin; well below the five waves a first-come worker needs. */
    private static final Duration QUICK_BOUND = Duration.ofMillis(2 * SLOW_MS);

    private final RedisKeys keys = new RedisKeys("test-" + UUID.randomUUID() + ":");
    private final List<String> doneSignals = new CopyOnWriteArrayList<>();
    private LettuceConnectionFactory testConnections;
    private RedisTemplate<String, byte[]> redis;
    private RedisMessageListenerContainer listener;
    private ConfigurableApplicationContext worker;

    @BeforeEach
    void connect() {
        testConnections = new LettuceConnectionFactory(Infrastructure.redis().host(), Infrastructure.redis().port());
        testConnections.afterPropertiesSet();
        testConnections.start();
        redis = RedisTemplates.binary(testConnections);
        listener = new RedisMessageListenerContainer();
        listener.setConnectionFactory(testConnections);
        listener.addMessageListener((message, pattern) -> doneSignals.add(
                new String(message.getBody(), StandardCharsets.UTF_8)), new ChannelTopic(keys.doneChannel()));
        listener.afterPropertiesSet();
        listener.start();
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (worker != null) {
            worker.close();
        }
        listener.destroy();
        Set<String> left = redis.keys(keys.prefix() + "*");
        if (left != null && !left.isEmpty()) {
            redis.delete(left);
        }
        testConnections.destroy();
    }

    @Test
    void aFloodOfSlowItemsDoesNotHoldUpAnotherDestination() {
        worker = startWorker();
        addAll(IntStream.rangeClosed(1, FLOOD)
                .mapToObj(sequence -> item("slow", sequence, new TransformSpec.Delay(SLOW_MS, SLOW_MS)))
                .toList());
        await().atMost(DEADLINE).until(() -> inFlight() == MAX_IN_FLIGHT);

        long addedAt = System.nanoTime();
        addAll(IntStream.rangeClosed(1, QUICK)
                .mapToObj(sequence -> item("quick", sequence, new TransformSpec.Delay(0L, 0L)))
                .toList());

        await().atMost(DEADLINE).until(() -> redis.opsForHash().size(ClaimedIncarnations.done(keys, "quick")) == QUICK);
        assertThat(Duration.ofNanos(System.nanoTime() - addedAt)).isLessThan(QUICK_BOUND);
        // Slow items read ahead of a free slot have waited past claim-idle by now; no other worker
        // may take them, so their claims must still be fresh.
        assertThat(redis.opsForHash().size(ClaimedIncarnations.done(keys, "slow"))).isLessThan(FLOOD);
        assertThat(pendingEntries()).isNotEmpty()
                .allSatisfy(entry -> assertThat(entry.getElapsedTimeSinceLastDelivery()).isLessThan(CLAIM_IDLE));

        await().atMost(DEADLINE).until(() -> redis.opsForHash().size(ClaimedIncarnations.done(keys, "slow")) == FLOOD);
        awaitStreamDrained();
        assertEveryItemCompletedOnce("slow", FLOOD);
        assertEveryItemCompletedOnce("quick", QUICK);
        assertThat(worker.getBean(MeterRegistry.class).get("reseq.worker.completed").counter().count())
                .isEqualTo(FLOOD + QUICK);
        assertThat(worker.getBean(MeterRegistry.class).get("reseq.worker.in-flight.peak").gauge().value())
                .isEqualTo(MAX_IN_FLIGHT);
    }

    private void assertEveryItemCompletedOnce(String destination, int count) {
        Map<Object, Object> done = redis.opsForHash().entries(ClaimedIncarnations.done(keys, destination));
        assertThat(done).hasSize(count);
        assertThat(done.values()).allSatisfy(value -> {
            TransformResult result = Codec.decodeResult((byte[]) value);
            assertThat(result.ok()).isTrue();
            assertThat(result.attempts()).isEqualTo(1);
        });
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(doneSignals)
                .filteredOn(signal -> signal.startsWith(destination + ":")).hasSize(count));
        for (int sequence = 1; sequence <= count; sequence++) {
            assertThat(doneSignals).containsOnlyOnce(destination + ":" + sequence);
        }
    }

    private ConfigurableApplicationContext startWorker() {
        // Arguments, not default properties: application.yml would override those.
        return new SpringApplicationBuilder(TransformWorkerApplication.class)
                .web(WebApplicationType.NONE)
                .run("--spring.data.redis.url=" + Infrastructure.redis().url(),
                        "--reseq.redis.key-prefix=" + keys.prefix(),
                        "--reseq.instance-id=fair-worker",
                        "--reseq.worker.max-in-flight=" + MAX_IN_FLIGHT,
                        "--reseq.worker.claim-idle=" + CLAIM_IDLE.toMillis() + "ms",
                        "--reseq.worker.claim-interval=250ms",
                        "--reseq.worker.shutdown-grace=1s");
    }

    private double inFlight() {
        return worker.getBean(MeterRegistry.class).get("reseq.worker.in-flight").gauge().value();
    }

    private WorkItem item(String destination, long sequence, TransformSpec transform) {
        String config = DestinationConfigJson.write(new DestinationConfig(DestinationType.HTTP,
                "http://127.0.0.1:9/out", null, null, null, null, List.of(transform), null, null,
                60_000L, 1, null, null, null, null));
        return new WorkItem(destination, ClaimedIncarnations.ID, sequence, UUID.randomUUID(), "text/plain",
                ("m" + sequence).getBytes(StandardCharsets.UTF_8), config, System.currentTimeMillis());
    }

    /** Adds all items in one round trip, in order. */
    private void addAll(List<WorkItem> items) {
        items.forEach(item -> ClaimedIncarnations.claim(redis, keys, item.destination()));
        byte[] key = keys.work().getBytes(StandardCharsets.UTF_8);
        byte[] field = RedisKeys.VALUE_FIELD.getBytes(StandardCharsets.UTF_8);
        redis.executePipelined((RedisCallback<Object>) connection -> {
            for (WorkItem item : items) {
                connection.streamCommands().xAdd(MapRecord.create(key, Map.of(field, Codec.encode(item))));
            }
            return null;
        });
    }

    private List<PendingMessage> pendingEntries() {
        return redis.opsForStream().pending(keys.work(), RedisKeys.WORKER_GROUP, Range.unbounded(), FLOOD + QUICK)
                .toList();
    }

    private void awaitStreamDrained() {
        await().atMost(DEADLINE).untilAsserted(() -> {
            assertThat(redis.opsForStream().size(keys.work())).isZero();
            assertThat(redis.opsForStream().pending(keys.work(), RedisKeys.WORKER_GROUP).getTotalPendingMessages())
                    .isZero();
        });
    }
}
