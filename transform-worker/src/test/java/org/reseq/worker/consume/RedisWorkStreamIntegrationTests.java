package org.reseq.worker.consume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.reseq.infra.Infrastructure;
import org.reseq.model.redis.RedisKeys;
import org.reseq.model.redis.RedisTemplates;
import org.reseq.worker.PrivateRedis;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.connection.stream.Consumer;
import org.springframework.data.redis.connection.stream.PendingMessage;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.connection.stream.StreamReadOptions;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.RedisTemplate;

/**
 * The claim and consumer scripts against real Redis servers: the shared one (Redis 7 here) and
 * a private embedded Redis 6.2, which reports deleted entries differently.
 */
class RedisWorkStreamIntegrationTests {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final Duration LONG_AGO = Duration.ofMinutes(10);

    private static final List<LettuceConnectionFactory> factories = new ArrayList<>();
    private static PrivateRedis privateRedis;
    private static RedisTemplate<String, byte[]> shared;
    private static RedisTemplate<String, byte[]> embedded;

    private final RedisKeys keys = new RedisKeys("test-" + UUID.randomUUID() + ":");

    @BeforeAll
    static void connect() {
        shared = template(Infrastructure.redis().host(), Infrastructure.redis().port());
        privateRedis = PrivateRedis.start();
        embedded = template(privateRedis.host(), privateRedis.port());
    }

    @AfterAll
    static void disconnect() {
        factories.forEach(LettuceConnectionFactory::destroy);
        privateRedis.close();
    }

    @AfterEach
    void removeKeys() {
        shared.delete(keys.work());
        embedded.delete(keys.work());
    }

    static Stream<Named<RedisTemplate<String, byte[]>>> servers() {
        return Stream.of(Named.of("shared Redis", shared), Named.of("embedded Redis 6.2", embedded));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void claimsOnlyEntriesIdleForTheMinimumTime(RedisTemplate<String, byte[]> redis) {
        RedisWorkStream stream = streamOn(redis);
        String first = add(redis, "one");
        String second = add(redis, "two");
        readAs(redis, "dead", 2);

        ClaimedWork tooFresh = stream.claimIdle("me", LONG_AGO, ClaimedWork.START, 10);
        ClaimedWork idle = stream.claimIdle("me", Duration.ZERO, ClaimedWork.START, 10);

        assertThat(tooFresh.records()).isEmpty();
        assertThat(tooFresh.scanComplete()).isTrue();
        assertThat(idle.records()).extracting(WorkRecord::id).containsExactly(first, second);
        assertThat(idle.records()).extracting(record -> new String(record.value(), StandardCharsets.UTF_8))
                .containsExactly("one", "two");
        assertThat(idle.deletedIds()).isEmpty();
        assertThat(owners(redis)).containsExactly(Map.entry(first, "me"), Map.entry(second, "me"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void acknowledgesEntriesDeletedWhilePending(RedisTemplate<String, byte[]> redis) {
        RedisWorkStream stream = streamOn(redis);
        String kept = add(redis, "kept");
        String deleted = add(redis, "deleted");
        readAs(redis, "dead", 2);
        redis.opsForStream().delete(keys.work(), deleted);

        ClaimedWork claimed = stream.claimIdle("me", Duration.ZERO, ClaimedWork.START, 10);

        assertThat(claimed.records()).extracting(WorkRecord::id).containsExactly(kept);
        assertThat(claimed.deletedIds()).containsExactly(deleted);
        assertThat(owners(redis)).containsOnlyKeys(kept);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void anEntryWithoutAValueIsClaimedWithoutOne(RedisTemplate<String, byte[]> redis) {
        RedisWorkStream stream = streamOn(redis);
        String id = redis.opsForStream().add(StreamRecords.newRecord().in(keys.work())
                .ofMap(Map.of("other", "x".getBytes(StandardCharsets.UTF_8)))).getValue();
        readAs(redis, "dead", 1);

        ClaimedWork claimed = stream.claimIdle("me", Duration.ZERO, ClaimedWork.START, 10);

        assertThat(claimed.records()).containsExactly(new WorkRecord(id, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void aScanInStepsClaimsEveryIdleEntryOnce(RedisTemplate<String, byte[]> redis) {
        RedisWorkStream stream = streamOn(redis);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            ids.add(add(redis, "m" + i));
        }
        readAs(redis, "dead", 7);

        List<String> claimed = new ArrayList<>();
        String cursor = ClaimedWork.START;
        int steps = 0;
        do {
            ClaimedWork step = stream.claimIdle("me", Duration.ZERO, cursor, 3);
            step.records().forEach(record -> claimed.add(record.id()));
            cursor = step.nextCursor();
            steps++;
        } while (!ClaimedWork.START.equals(cursor) && steps < 10);

        assertThat(claimed).containsExactlyElementsOf(ids);
        assertThat(steps).isGreaterThanOrEqualTo(3);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void refreshingResetsTheIdleTimeOfOwnEntriesOnly(RedisTemplate<String, byte[]> redis) {
        RedisWorkStream stream = streamOn(redis);
        String mine = add(redis, "mine");
        readAs(redis, "me", 1);
        String theirs = add(redis, "theirs");
        readAs(redis, "other", 1);
        String finished = add(redis, "finished");
        readAs(redis, "me", 1);
        redis.opsForStream().acknowledge(keys.work(), RedisKeys.WORKER_GROUP, finished);
        await().atMost(DEADLINE).until(() -> idleMillis(redis, mine) >= 300 && idleMillis(redis, theirs) >= 300);

        RedisWorkStream.ClaimRefresh refresh = stream.refreshClaims("me", List.of(mine, theirs, finished));

        assertThat(refresh.kept()).containsExactly(mine);
        assertThat(refresh.takenOver()).containsExactly(theirs);
        assertThat(idleMillis(redis, mine)).isLessThan(300);
        assertThat(idleMillis(redis, theirs)).isGreaterThanOrEqualTo(300);
        assertThat(owners(redis)).containsExactly(Map.entry(mine, "me"), Map.entry(theirs, "other"));
        assertThat(stream.refreshClaims("me", List.of()).kept()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void forgetsOnlyOtherIdleConsumersWithNothingPending(RedisTemplate<String, byte[]> redis) {
        RedisWorkStream stream = streamOn(redis);
        // Each consumer reads an entry: Redis 7 adds a consumer only on a read that returns one.
        String finished = add(redis, "finished");
        readAs(redis, "a", 1);
        redis.opsForStream().acknowledge(keys.work(), RedisKeys.WORKER_GROUP, finished);
        String pending = add(redis, "pending");
        readAs(redis, "b", 1);
        String own = add(redis, "own");
        readAs(redis, "me", 1);
        redis.opsForStream().acknowledge(keys.work(), RedisKeys.WORKER_GROUP, own);

        List<String> tooFresh = stream.forgetIdleConsumers("me", LONG_AGO);
        await().atMost(DEADLINE).until(() -> consumerIdleMillis(redis).values().stream().allMatch(idle -> idle >= 5));
        List<String> idle = stream.forgetIdleConsumers("me", Duration.ofMillis(5));

        assertThat(tooFresh).isEmpty();
        assertThat(idle).containsExactly("a");
        assertThat(consumerIdleMillis(redis)).containsOnlyKeys("b", "me");
        assertThat(owners(redis)).containsExactly(Map.entry(pending, "b"));
        assertThat(stream.forgetIdleConsumers("me", Duration.ofMillis(5))).isEmpty();
    }

    private RedisWorkStream streamOn(RedisTemplate<String, byte[]> redis) {
        RedisWorkStream stream = new RedisWorkStream(redis, keys);
        stream.ensureGroup();
        return stream;
    }

    private String add(RedisTemplate<String, byte[]> redis, String value) {
        return redis.opsForStream().add(StreamRecords.newRecord().in(keys.work())
                .ofMap(Map.of(RedisKeys.VALUE_FIELD, value.getBytes(StandardCharsets.UTF_8)))).getValue();
    }

    private void readAs(RedisTemplate<String, byte[]> redis, String consumer, int count) {
        redis.opsForStream().read(Consumer.from(RedisKeys.WORKER_GROUP, consumer),
                StreamReadOptions.empty().count(count), StreamOffset.create(keys.work(), ReadOffset.lastConsumed()));
    }

    private Map<String, String> owners(RedisTemplate<String, byte[]> redis) {
        Map<String, String> owners = new LinkedHashMap<>();
        redis.opsForStream().pending(keys.work(), RedisKeys.WORKER_GROUP, Range.unbounded(), 100)
                .forEach(pending -> owners.put(pending.getIdAsString(), pending.getConsumerName()));
        return owners;
    }

    private Map<String, Long> consumerIdleMillis(RedisTemplate<String, byte[]> redis) {
        Map<String, Long> idle = new LinkedHashMap<>();
        redis.opsForStream().consumers(keys.work(), RedisKeys.WORKER_GROUP)
                .forEach(consumer -> idle.put(consumer.consumerName(), consumer.idleTimeMs()));
        return idle;
    }

    private long idleMillis(RedisTemplate<String, byte[]> redis, String id) {
        return redis.opsForStream().pending(keys.work(), RedisKeys.WORKER_GROUP, Range.closed(id, id), 1).stream()
                .findFirst()
                .map(PendingMessage::getElapsedTimeSinceLastDelivery)
                .orElseThrow()
                .toMillis();
    }

    private static RedisTemplate<String, byte[]> template(String host, int port) {
        LettuceConnectionFactory factory = new LettuceConnectionFactory(host, port);
        factory.afterPropertiesSet();
        factory.start();
        factories.add(factory);
        return RedisTemplates.binary(factory);
    }
}
