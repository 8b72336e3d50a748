package org.reseq.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reseq.infra.Infrastructure;
import org.reseq.infra.RedisServerAddress;
import org.reseq.model.destination.DestinationConfig;
import org.reseq.model.destination.DestinationConfigJson;
import org.reseq.model.destination.DestinationType;
import org.reseq.model.destination.TransformSpec;
import org.reseq.model.redis.Codec;
import org.reseq.model.redis.RedisKeys;
import org.reseq.model.redis.TransformResult;
import org.reseq.model.redis.WorkItem;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.stream.Consumer;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.connection.stream.StreamReadOptions;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.RedisOperations;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.core.SessionCallback;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The worker against a real Redis: work goes in through the stream exactly as the resequencer
 * puts it there, results come out in the done buffers and on the done channel.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class WorkerIntegrationTests {

    private static final String PREFIX = "test-" + UUID.randomUUID() + ":";
    private static final RedisKeys KEYS = new RedisKeys(PREFIX);
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private static final Set<String> doneSignals = ConcurrentHashMap.newKeySet();
    private static final AtomicInteger failingStubRequests = new AtomicInteger();
    private static HttpServer failingStub;

    @Autowired
    private RedisTemplate<String, byte[]> redis;

    @Autowired
    private RedisConnectionFactory connectionFactory;

    @Autowired
    private MeterRegistry meters;

    private RedisMessageListenerContainer listener;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.data.redis.url", () -> Infrastructure.redis().url());
        registry.add("reseq.redis.key-prefix", () -> PREFIX);
        registry.add("reseq.instance-id", () -> "worker-under-test");
        registry.add("reseq.worker.retry.initial-delay", () -> "10ms");
        registry.add("reseq.worker.retry.max-delay", () -> "40ms");
        registry.add("reseq.worker.claim-idle", () -> "3s");
        registry.add("reseq.worker.claim-interval", () -> "250ms");
    }

    @BeforeAll
    static void startFailingStub() throws IOException {
        failingStub = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        failingStub.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        failingStub.createContext("/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                failingStubRequests.incrementAndGet();
                byte[] body = "cannot map this".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(500, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        failingStub.start();
    }

    @AfterAll
    static void stopFailingStubAndRemoveKeys(@Autowired RedisTemplate<String, byte[]> redis) {
        failingStub.stop(0);
        Set<String> keys = redis.keys(PREFIX + "*");
        if (keys != null && !keys.isEmpty()) {
            redis.delete(keys);
        }
    }

    @BeforeEach
    void subscribeToDoneSignals() {
        listener = new RedisMessageListenerContainer();
        listener.setConnectionFactory(connectionFactory);
        listener.addMessageListener((message, pattern) -> doneSignals.add(
                new String(message.getBody(), StandardCharsets.UTF_8)), new ChannelTopic(KEYS.doneChannel()));
        listener.afterPropertiesSet();
        listener.start();
    }

    @AfterEach
    void unsubscribe() throws Exception {
        listener.destroy();
    }

    @Test
    void transformsManyItemsAtOnceAndStoresEveryResult() {
        String destination = "concurrent";
        String config = configJson(List.of(new TransformSpec.Delay(0L, 200L)), 5_000L, 3);
        List<WorkItem> items = IntStream.rangeClosed(1, 300)
                .mapToObj(sequence -> item(destination, sequence, config))
                .toList();

        addAll(items);

        await().atMost(DEADLINE).untilAsserted(() ->
                assertThat(redis.opsForHash().size(ClaimedIncarnations.done(KEYS, destination))).isEqualTo(300));
        Map<Object, Object> done = redis.opsForHash().entries(ClaimedIncarnations.done(KEYS, destination));
        for (WorkItem item : items) {
            TransformResult result = Codec.decodeResult((byte[]) done.get(Long.toString(item.sequence())));
            assertThat(result.ok()).isTrue();
            assertThat(result.sequence()).isEqualTo(item.sequence());
            assertThat(result.messageId()).isEqualTo(item.messageId());
            assertThat(result.payload()).isEqualTo(item.payload());
            assertThat(result.contentType()).isEqualTo(item.contentType());
            assertThat(result.attempts()).isEqualTo(1);
        }
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(doneSignals).containsAll(
                IntStream.rangeClosed(1, 300).mapToObj(sequence -> destination + ":" + sequence).toList()));
        awaitStreamDrained();
        assertThat(meters.get("reseq.worker.in-flight.peak").gauge().value()).isGreaterThan(50);
        assertThat(meters.get("reseq.worker.completed").counter().count()).isGreaterThanOrEqualTo(300);
    }

    @Test
    void anItemThatKeepsFailingGetsAFailedResultAfterItsAttempts() {
        String destination = "poison";
        String stubUrl = "http://127.0.0.1:" + failingStub.getAddress().getPort() + "/transform";
        int requestsBefore = failingStubRequests.get();
        WorkItem item = item(destination, 1, configJson(List.of(new TransformSpec.Http(stubUrl, 2_000L)), 5_000L, 2));

        addAll(List.of(item));

        await().atMost(DEADLINE).until(() -> firstResult(destination) != null);
        TransformResult result = Codec.decodeResult((byte[]) firstResult(destination));
        assertThat(result.ok()).isFalse();
        assertThat(result.attempts()).isEqualTo(2);
        assertThat(result.error()).isEqualTo("http transform " + stubUrl + " answered 500: cannot map this");
        assertThat(failingStubRequests.get() - requestsBefore).isEqualTo(2);
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(doneSignals).contains(destination + ":1:FAILED"));
        awaitStreamDrained();
    }

    @Test
    void anHttpTransformAtTheSuitesRedisFailsForGoodAtTheFirstAttempt() {
        String destination = "into-redis";
        RedisServerAddress suiteRedis = Infrastructure.redis();
        String url = "http://" + suiteRedis.host() + ":" + suiteRedis.port() + "/?password=secret";
        WorkItem item = item(destination, 1, configJson(List.of(new TransformSpec.Http(url, 2_000L)), 5_000L, 3));

        addAll(List.of(item));

        await().atMost(DEADLINE).until(() -> firstResult(destination) != null);
        TransformResult result = Codec.decodeResult((byte[]) firstResult(destination));
        assertThat(result.ok()).isFalse();
        assertThat(result.attempts()).isEqualTo(1);
        assertThat(result.error()).isEqualTo(("http transform http://%s:%d/?password=*** refused by the destination"
                + " guard: %s:%d %s")
                .formatted(suiteRedis.host(), suiteRedis.port(), suiteRedis.host(), suiteRedis.port(),
                        suiteRedis.host().matches("[0-9.]+|.*:.*") ? "is the suite's own Redis"
                                : "resolves to the suite's own Redis"));
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(doneSignals).contains(destination + ":1:FAILED"));
        awaitStreamDrained();
    }

    @Test
    void aTransformRunningPastTheTimeoutFailsInsteadOfWaiting() {
        String destination = "hanging";
        // An hour-long step against a 300 ms timeout: every attempt is cut off, nothing waits for it.
        WorkItem item = item(destination, 1,
                configJson(List.of(new TransformSpec.Delay(3_600_000L, 3_600_000L)), 300L, 2));

        addAll(List.of(item));

        await().atMost(DEADLINE).until(() -> firstResult(destination) != null);
        TransformResult result = Codec.decodeResult((byte[]) firstResult(destination));
        assertThat(result.ok()).isFalse();
        assertThat(result.attempts()).isEqualTo(2);
        assertThat(result.error()).isEqualTo("transform chain timed out after 300 ms");
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(doneSignals).contains(destination + ":1:FAILED"));
        awaitStreamDrained();
    }

    @Test
    void aJsonataMappingRunsEndToEnd() {
        String destination = "mapped";
        String config = configJson(List.of(
                new TransformSpec.Jsonata("{ 'order': id, 'customer': buyer.name, 'at': $destination & ':' & $sequence }"),
                new TransformSpec.ContentType("application/vnd.order+json")), 5_000L, 3);
        WorkItem item = new WorkItem(destination, ClaimedIncarnations.ID, 1, UUID.randomUUID(), "application/json",
                "{ \"id\": \"A-17\", \"buyer\": { \"name\": \"Ada\" }, \"lines\": [] }"
                        .getBytes(StandardCharsets.UTF_8), config, System.currentTimeMillis());

        addAll(List.of(item));

        await().atMost(DEADLINE).until(() -> firstResult(destination) != null);
        TransformResult result = Codec.decodeResult((byte[]) firstResult(destination));
        assertThat(result.ok()).isTrue();
        assertThat(result.attempts()).isEqualTo(1);
        assertThat(result.contentType()).isEqualTo("application/vnd.order+json");
        assertThat(new String(result.payload(), StandardCharsets.UTF_8))
                .isEqualTo("{\"order\":\"A-17\",\"customer\":\"Ada\",\"at\":\"mapped:1\"}");
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(doneSignals).contains(destination + ":1"));
        awaitStreamDrained();
    }

    @Test
    void aPayloadAJsonataMappingCannotReadFailsAtOnceWithoutRetries() {
        String destination = "not-json";
        // Five attempts allowed: a permanent failure must not use any but the first.
        WorkItem item = item(destination, 1, configJson(List.of(new TransformSpec.Jsonata("id")), 5_000L, 5));

        addAll(List.of(item));

        await().atMost(DEADLINE).until(() -> firstResult(destination) != null);
        TransformResult result = Codec.decodeResult((byte[]) firstResult(destination));
        assertThat(result.ok()).isFalse();
        assertThat(result.attempts()).isEqualTo(1);
        assertThat(result.error()).startsWith("jsonata transform needs a JSON payload: ");
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(doneSignals).contains(destination + ":1:FAILED"));
        awaitStreamDrained();
    }

    @Test
    void malformedEntriesAreDroppedAndConsumingGoesOn() {
        String destination = "after-garbage";
        double droppedBefore = meters.get("reseq.worker.dropped").counter().count();

        redis.opsForStream().add(StreamRecords.newRecord().in(KEYS.work())
                .ofMap(Map.of(RedisKeys.VALUE_FIELD, new byte[] {42, 0, 7})));
        redis.opsForStream().add(StreamRecords.newRecord().in(KEYS.work())
                .ofMap(Map.of("unexpected", "field".getBytes(StandardCharsets.UTF_8))));
        addAll(List.of(item(destination, 1, configJson(List.of(), 5_000L, 1))));

        await().atMost(DEADLINE).until(() -> firstResult(destination) != null);
        awaitStreamDrained();
        await().atMost(DEADLINE).untilAsserted(() ->
                assertThat(meters.get("reseq.worker.dropped").counter().count() - droppedBefore).isEqualTo(2));
    }

    @Test
    void anInvalidConfigurationGivesAFailedResultWithoutAttempts() {
        String destination = "misconfigured";
        addAll(List.of(item(destination, 1,
                "{ \"type\": \"HTTP\", \"transforms\": [ { \"type\": \"delay\", \"minMs\": -1 } ] }")));

        await().atMost(DEADLINE).until(() -> firstResult(destination) != null);
        TransformResult result = Codec.decodeResult((byte[]) firstResult(destination));
        assertThat(result.ok()).isFalse();
        assertThat(result.attempts()).isZero();
        assertThat(result.error()).startsWith("invalid destination configuration: transforms[0].minMs");
        awaitStreamDrained();
    }

    @Test
    void aPluginTypeThisWorkerLacksFailsEachAttemptAsRetryable() {
        // Another worker may run it: the attempts are used, not cut short as for a bad configuration.
        String destination = "plugin-elsewhere";
        addAll(List.of(item(destination, 1, configJson(List.of(new TransformSpec.Plugin("sleep", Map.of())), 5_000L,
                2))));

        await().atMost(DEADLINE).until(() -> firstResult(destination) != null);
        TransformResult result = Codec.decodeResult((byte[]) firstResult(destination));
        assertThat(result.ok()).isFalse();
        assertThat(result.attempts()).isEqualTo(2);
        assertThat(result.error()).isEqualTo("this worker has no plugin for transform type 'sleep'");
        awaitStreamDrained();
    }

    @Test
    void theGroupIsCreatedAgainWhenTheStreamDisappears() {
        String destination = "after-flush";
        awaitGroupExists();

        redis.delete(KEYS.work());
        addAll(List.of(item(destination, 1, configJson(List.of(), 5_000L, 1))));

        await().atMost(DEADLINE).until(() -> firstResult(destination) != null);
        awaitStreamDrained();
    }

    /** Its destination was deleted (or deleted and created again) while it was transformed. */
    @Test
    void theResultOfAnIncarnationWhoseFenceIsGoneIsDroppedAndItsEntryAcknowledged() {
        String destination = "deleted-meanwhile";
        awaitGroupExists();
        WorkItem item = item(destination, 1, configJson(List.of(), 5_000L, 1));
        byte[] key = KEYS.work().getBytes(StandardCharsets.UTF_8);
        redis.execute((RedisCallback<Object>) connection -> connection.streamCommands().xAdd(MapRecord.create(key,
                Map.of(RedisKeys.VALUE_FIELD.getBytes(StandardCharsets.UTF_8), Codec.encode(item)))));

        awaitStreamDrained();
        assertThat(redis.hasKey(ClaimedIncarnations.done(KEYS, destination))).isFalse();
    }

    @Test
    void workLeftUnacknowledgedByAVanishedWorkerIsClaimed() {
        String destination = "orphaned";
        awaitGroupExists();
        WorkItem item = item(destination, 1, configJson(List.of(), 5_000L, 1));
        ClaimedIncarnations.claim(redis, KEYS, destination);

        // Another consumer takes the item in the same transaction as it is added, then "dies".
        redis.execute(new SessionCallback<List<Object>>() {
            @Override
            @SuppressWarnings({"unchecked", "rawtypes"})
            public List<Object> execute(RedisOperations operations) {
                operations.multi();
                operations.opsForStream().add(StreamRecords.newRecord().in(KEYS.work())
                        .ofMap(Map.of(RedisKeys.VALUE_FIELD, Codec.encode(item))));
                operations.opsForStream().read(Consumer.from(RedisKeys.WORKER_GROUP, "vanished-worker"),
                        StreamReadOptions.empty().count(1),
                        StreamOffset.create(KEYS.work(), ReadOffset.lastConsumed()));
                return operations.exec();
            }
        });
        assertThat(redis.opsForStream().pending(KEYS.work(), RedisKeys.WORKER_GROUP).getPendingMessagesPerConsumer())
                .containsEntry("vanished-worker", 1L);

        await().atMost(DEADLINE).until(() -> firstResult(destination) != null);
        awaitStreamDrained();
    }

    private void awaitGroupExists() {
        await().atMost(DEADLINE).until(() -> Boolean.TRUE.equals(redis.hasKey(KEYS.work()))
                && redis.opsForStream().groups(KEYS.work()).stream()
                        .anyMatch(group -> group.groupName().equals(RedisKeys.WORKER_GROUP)));
    }

    private void awaitStreamDrained() {
        await().atMost(DEADLINE).untilAsserted(() -> {
            assertThat(redis.opsForStream().size(KEYS.work())).isZero();
            assertThat(redis.opsForStream().pending(KEYS.work(), RedisKeys.WORKER_GROUP).getTotalPendingMessages())
                    .isZero();
        });
    }

    /** The stored result of sequence 1 of the destination; null while there is none. */
    private Object firstResult(String destination) {
        return redis.opsForHash().get(ClaimedIncarnations.done(KEYS, destination), "1");
    }

    /** Adds all items in one round trip, so the worker sees them arrive at once. */
    private void addAll(List<WorkItem> items) {
        items.forEach(item -> ClaimedIncarnations.claim(redis, KEYS, item.destination()));
        byte[] key = KEYS.work().getBytes(StandardCharsets.UTF_8);
        byte[] field = RedisKeys.VALUE_FIELD.getBytes(StandardCharsets.UTF_8);
        redis.executePipelined((RedisCallback<Object>) connection -> {
            for (WorkItem item : items) {
                connection.streamCommands().xAdd(
                        MapRecord.create(key, Map.of(field, Codec.encode(item))));
            }
            return null;
        });
    }

    private static WorkItem item(String destination, long sequence, String configJson) {
        return new WorkItem(destination, ClaimedIncarnations.ID, sequence, UUID.randomUUID(), "text/plain",
                ("message " + sequence).getBytes(StandardCharsets.UTF_8), configJson, System.currentTimeMillis());
    }

    private static String configJson(List<TransformSpec> transforms, long timeoutMs, int attempts) {
        return DestinationConfigJson.write(new DestinationConfig(
                DestinationType.HTTP, "http://127.0.0.1:9/out", null, null, null, null,
                new ArrayList<>(transforms), null, null, timeoutMs, attempts, null, null, null, null));
    }
}
