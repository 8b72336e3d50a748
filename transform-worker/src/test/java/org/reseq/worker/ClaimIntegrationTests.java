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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
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
import org.springframework.data.redis.connection.stream.Consumer;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.RecordId;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.connection.stream.StreamReadOptions;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.RedisOperations;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.core.SessionCallback;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/**
 * Two workers in one group: a crashed worker's items are taken over after {@code claim-idle};
 * a live worker's long transform is not, however long it runs. A crashed worker's consumer is
 * removed from the group once its items are taken over and it has been idle for
 * {@code forget-consumer-idle}.
 */
class ClaimIntegrationTests {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final Duration CLAIM_IDLE = Duration.ofSeconds(2);
    private static final Duration FORGET_CONSUMER_IDLE = Duration.ofSeconds(3);

    private final RedisKeys keys = new RedisKeys("test-" + UUID.randomUUID() + ":");
    private final List<String> doneSignals = new CopyOnWriteArrayList<>();
    private final List<ConfigurableApplicationContext> workers = new ArrayList<>();
    private LettuceConnectionFactory testConnections;
    private RedisTemplate<String, byte[]> redis;
    private RedisMessageListenerContainer listener;

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
        workers.forEach(ConfigurableApplicationContext::close);
        listener.destroy();
        Set<String> left = redis.keys(keys.prefix() + "*");
        if (left != null && !left.isEmpty()) {
            redis.delete(left);
        }
        testConnections.destroy();
    }

    @Test
    void aLongTransformOfALiveWorkerIsNotTakenOver() {
        // A's own claim scan would also keep its item (claiming it for itself): only its refresher may.
        ConfigurableApplicationContext a = startWorker("worker-a", "10s", "1h");
        add(item("long", 1, new TransformSpec.Delay(6_000L, 6_000L)));
        await().atMost(DEADLINE).until(() -> pendingByConsumer().getOrDefault("worker-a", 0L) == 1L);

        // B looks for idle work every 250 ms; the item runs three times longer than claim-idle.
        ConfigurableApplicationContext b = startWorker("worker-b", "10s");

        await().atMost(DEADLINE).until(() -> result("long") != null);
        // Acknowledged last, after the meters: once drained, A's meters are final.
        awaitStreamDrained();
        assertThat(meters(a).get("reseq.worker.transform").tag("outcome", "ok").timer().totalTime(TimeUnit.SECONDS))
                .isGreaterThanOrEqualTo(3 * CLAIM_IDLE.toSeconds());
        assertThat(meters(a).get("reseq.worker.completed").counter().count()).isEqualTo(1);
        assertThat(meters(b).get("reseq.worker.claimed").counter().count()).isZero();
        assertThat(meters(b).get("reseq.worker.in-flight.peak").gauge().value()).isZero();
        await().atMost(DEADLINE).until(() -> doneSignals.contains("long:1"));
        assertThat(doneSignals).containsOnlyOnce("long:1");
        assertThat(meters(b).get("reseq.worker.completed").counter().count()).isZero();
    }

    @Test
    void aCrashedWorkersItemIsClaimedAndCompletedAfterTheIdleTime() {
        ConfigurableApplicationContext b = startWorker("worker-b", "10s");

        long takenAt = System.nanoTime();
        takeAsDeadConsumer(item("orphan", 1, new TransformSpec.Delay(0L, 0L)));

        await().atMost(DEADLINE).until(() -> result("orphan") != null);
        assertThat(Duration.ofNanos(System.nanoTime() - takenAt)).isGreaterThanOrEqualTo(CLAIM_IDLE);
        assertThat(Codec.decodeResult((byte[]) result("orphan")).ok()).isTrue();
        awaitStreamDrained();
        assertThat(meters(b).get("reseq.worker.claimed").counter().count()).isEqualTo(1);
        assertThat(meters(b).get("reseq.worker.completed").counter().count()).isEqualTo(1);
    }

    @Test
    void aCrashedWorkersConsumerIsRemovedOnceItsItemIsClaimed() {
        ConfigurableApplicationContext b = startWorker("worker-b", "10s", "250ms",
                "--reseq.worker.forget-consumer-idle=" + FORGET_CONSUMER_IDLE.toMillis() + "ms");
        takeAsDeadConsumer(item("forgotten", 1, new TransformSpec.Delay(0L, 0L)));

        await().atMost(DEADLINE).until(() -> !consumers().contains("dead"));
        // Removed only with nothing pending: its item was claimed, so it is not lost.
        await().atMost(DEADLINE).until(() -> result("forgotten") != null);
        awaitStreamDrained();
        assertThat(consumers()).containsExactly("worker-b");
        assertThat(meters(b).get("reseq.worker.claimed").counter().count()).isEqualTo(1);
        assertThat(meters(b).get("reseq.worker.consumers.removed").counter().count()).isEqualTo(1);
    }

    @Test
    void aWorkerThatStopsMidTransformLeavesTheItemToAnother() {
        ConfigurableApplicationContext a = startWorker("worker-a", "0s");
        add(item("abandoned", 1, new TransformSpec.Delay(3_000L, 3_000L)));
        await().atMost(DEADLINE).until(() -> pendingByConsumer().getOrDefault("worker-a", 0L) == 1L);

        // No grace: the transform is interrupted, the entry stays pending with A, and nobody refreshes it.
        a.close();
        assertThat(redis.opsForHash().size(ClaimedIncarnations.done(keys, "abandoned"))).isZero();
        ConfigurableApplicationContext b = startWorker("worker-b", "10s");

        await().atMost(DEADLINE).until(() -> result("abandoned") != null);
        awaitStreamDrained();
        assertThat(meters(b).get("reseq.worker.claimed").counter().count()).isEqualTo(1);
        assertThat(meters(b).get("reseq.worker.completed").counter().count()).isEqualTo(1);
    }

    @Test
    void aPendingEntryWhoseDataWasDeletedIsAcknowledgedAway() {
        ConfigurableApplicationContext b = startWorker("worker-b", "10s");
        RecordId id = takeAsDeadConsumer(item("vanished", 1, new TransformSpec.Delay(0L, 0L)));
        redis.opsForStream().delete(keys.work(), id);
        assertThat(pendingByConsumer()).containsEntry("dead", 1L);

        await().atMost(DEADLINE).until(() -> pendingByConsumer().isEmpty());
        assertThat(redis.opsForHash().size(ClaimedIncarnations.done(keys, "vanished"))).isZero();
        assertThat(meters(b).get("reseq.worker.claimed").counter().count()).isZero();
    }

    private ConfigurableApplicationContext startWorker(String instanceId, String shutdownGrace) {
        return startWorker(instanceId, shutdownGrace, "250ms");
    }

    private ConfigurableApplicationContext startWorker(String instanceId, String shutdownGrace, String claimInterval,
            String... moreArguments) {
        // Arguments, not default properties: application.yml would override those.
        List<String> arguments = new ArrayList<>(List.of("--spring.data.redis.url=" + Infrastructure.redis().url(),
                "--reseq.redis.key-prefix=" + keys.prefix(),
                "--reseq.instance-id=" + instanceId,
                "--reseq.worker.claim-idle=" + CLAIM_IDLE.toMillis() + "ms",
                "--reseq.worker.claim-interval=" + claimInterval,
                "--reseq.worker.shutdown-grace=" + shutdownGrace));
        arguments.addAll(List.of(moreArguments));
        ConfigurableApplicationContext worker = new SpringApplicationBuilder(TransformWorkerApplication.class)
                .web(WebApplicationType.NONE)
                .run(arguments.toArray(String[]::new));
        workers.add(worker);
        return worker;
    }

    private static MeterRegistry meters(ConfigurableApplicationContext worker) {
        return worker.getBean(MeterRegistry.class);
    }

    private WorkItem item(String destination, long sequence, TransformSpec transform) {
        String config = DestinationConfigJson.write(new DestinationConfig(DestinationType.HTTP,
                "http://127.0.0.1:9/out", null, null, null, null, List.of(transform), null, null,
                30_000L, 1, null, null, null, null));
        return new WorkItem(destination, ClaimedIncarnations.ID, sequence, UUID.randomUUID(), "text/plain",
                ("m" + sequence).getBytes(StandardCharsets.UTF_8), config, System.currentTimeMillis());
    }

    /** The result of sequence 1 of the destination, as stored in its done buffer; null while there is none. */
    private Object result(String destination) {
        return redis.opsForHash().get(ClaimedIncarnations.done(keys, destination), "1");
    }

    private void add(WorkItem item) {
        ClaimedIncarnations.claim(redis, keys, item.destination());
        redis.opsForStream().add(StreamRecords.newRecord().in(keys.work())
                .ofMap(Map.of(RedisKeys.VALUE_FIELD, Codec.encode(item))));
    }

    /**
     * Adds the item and reads it as consumer "dead" in one transaction, so no live worker reads
     * it first; "dead" never acknowledges it, as a worker killed mid-transform would not.
     */
    private RecordId takeAsDeadConsumer(WorkItem item) {
        ClaimedIncarnations.claim(redis, keys, item.destination());
        List<Object> results = redis.execute(new SessionCallback<List<Object>>() {
            @Override
            @SuppressWarnings({"unchecked", "rawtypes"})
            public List<Object> execute(RedisOperations operations) {
                operations.multi();
                operations.opsForStream().add(StreamRecords.newRecord().in(keys.work())
                        .ofMap(Map.of(RedisKeys.VALUE_FIELD, Codec.encode(item))));
                operations.opsForStream().read(Consumer.from(RedisKeys.WORKER_GROUP, "dead"),
                        StreamReadOptions.empty().count(1),
                        StreamOffset.create(keys.work(), ReadOffset.lastConsumed()));
                return operations.exec();
            }
        });
        assertThat(pendingByConsumer()).containsEntry("dead", 1L);
        return (RecordId) results.getFirst();
    }

    private Map<String, Long> pendingByConsumer() {
        return redis.opsForStream().pending(keys.work(), RedisKeys.WORKER_GROUP).getPendingMessagesPerConsumer();
    }

    private List<String> consumers() {
        return redis.opsForStream().consumers(keys.work(), RedisKeys.WORKER_GROUP).stream()
                .map(consumer -> consumer.consumerName()).toList();
    }

    private void awaitStreamDrained() {
        await().atMost(DEADLINE).untilAsserted(() -> {
            assertThat(redis.opsForStream().size(keys.work())).isZero();
            assertThat(redis.opsForStream().pending(keys.work(), RedisKeys.WORKER_GROUP).getTotalPendingMessages())
                    .isZero();
        });
    }
}
