package org.reseq.resequencer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.LongStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.reseq.infra.Infrastructure;
import org.reseq.model.destination.DestinationConfig;
import org.reseq.model.destination.DestinationConfigJson;
import org.reseq.model.destination.DestinationType;
import org.reseq.model.destination.FailurePolicy;
import org.reseq.model.lease.FencedCursors;
import org.reseq.model.lease.Lease;
import org.reseq.model.lease.LeaseLostException;
import org.reseq.model.lease.LeaseRole;
import org.reseq.model.redis.Codec;
import org.reseq.model.redis.RedisKeys;
import org.reseq.model.redis.Signal;
import org.reseq.model.redis.TransformResult;
import org.reseq.model.redis.WorkItem;
import org.reseq.resequencer.release.RedisResultBuffer;
import org.reseq.resequencer.release.ResultBuffer;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The resequencer against real PostgreSQL and Redis. The test plays the other services: it stores
 * deliveries as ingress does, takes work items and writes results as a worker does (in shuffled
 * order), and advances the delivered cursor as egress does.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class ResequencerIntegrationTests {

    private static final String DATABASE = Infrastructure.postgres().createFreshDatabase("resequencer");
    private static final String PREFIX = "test-" + UUID.randomUUID() + ":";
    private static final RedisKeys KEYS = new RedisKeys(PREFIX);
    private static final int WINDOW = 50;
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    /** Every work item seen on the shared work stream, by destination; read position below. */
    private static final Map<String, List<WorkItem>> unclaimed = new ConcurrentHashMap<>();
    private static String lastWorkId = "0-0";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> DATABASE);
        registry.add("spring.datasource.username", () -> Infrastructure.postgres().user());
        registry.add("spring.datasource.password", () -> Infrastructure.postgres().password());
        registry.add("spring.data.redis.url", () -> Infrastructure.redis().url());
        registry.add("reseq.redis.key-prefix", () -> PREFIX);
        registry.add("reseq.resequencer.window", () -> WINDOW);
        registry.add("reseq.resequencer.poll-interval", () -> "100ms");
        registry.add("reseq.resequencer.lease-tick", () -> "200ms");
        registry.add("reseq.instance-id", () -> "resequencer-under-test");
    }

    @Autowired
    private DataSource dataSource;
    @Autowired
    private JdbcTemplate jdbc;
    @Autowired
    private StringRedisTemplate strings;
    @Autowired
    private RedisTemplate<String, byte[]> redis;
    @Autowired
    private RedisResultBuffer buffer;
    @Autowired
    private FencedCursors cursors;
    @Autowired
    private MeterRegistry meters;

    private final Random random = new Random(42);

    @Test
    void releasesEveryResultOnceInOrderAndNeverDispatchesPastTheWindow() {
        String destination = "orders";
        createDestination(destination, 7, 500);
        String storedConfig = jdbc.queryForObject("select config::text from destination where name = ?",
                String.class, destination);
        Map<Long, WorkItem> pending = new HashMap<>();
        long[] delivered = {0};
        long[] highestDispatched = {0};

        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(20)).until(() -> {
            for (WorkItem item : takeWork(destination)) {
                assertThat(item.sequence()).as("dispatched at most the window past the delivered cursor")
                        .isLessThanOrEqualTo(delivered[0] + WINDOW);
                assertThat(item.configJson()).isEqualTo(storedConfig);
                assertThat(item.payload()).asString(StandardCharsets.UTF_8).isEqualTo("m-" + item.sequence());
                highestDispatched[0] = Math.max(highestDispatched[0], item.sequence());
                pending.put(item.sequence(), item);
            }
            finishSome(destination, pending);
            long released = outSequences(destination).size();
            if (released > delivered[0]) {
                delivered[0] = released; // egress "delivered" everything released so far
                jdbc.update("update destination_cursor set position = ? where destination = ? and role = 'EGRESS'",
                        released, destination);
                strings.convertAndSend(KEYS.deliveredChannel(), Signal.delivered(destination, released).encode());
            }
            return released == 500;
        });

        assertThat(outSequences(destination)).containsExactlyElementsOf(LongStream.rangeClosed(1, 500).boxed().toList());
        assertThat(outResults(destination)).allSatisfy(result -> assertThat(result.payload())
                .asString(StandardCharsets.UTF_8).isEqualTo("t-" + result.sequence()));
        await().atMost(DEADLINE).until(() -> resequencerCursor(destination) == 500);
        assertThat(redis.opsForHash().size(KEYS.done(destination))).isZero();
        assertThat(highestDispatched[0]).isEqualTo(500);
        assertThat(meters.counter("reseq.resequencer.released", "destination", destination).count()).isEqualTo(500);
    }

    @Test
    void aFailedHeadBlocksRelease() throws Exception {
        String destination = "blocked";
        createDestination(destination, 100, 10);
        List<WorkItem> items = new ArrayList<>();
        await().atMost(DEADLINE).until(() -> {
            items.addAll(takeWork(destination));
            return items.size() == 10;
        });

        Collections.shuffle(items, random);
        for (WorkItem item : items) {
            finish(item, item.sequence() != 3);
        }

        await().atMost(DEADLINE).until(() -> outSequences(destination).size() == 2);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                .until(() -> outSequences(destination).equals(List.of(1L, 2L)));
        assertThat(resequencerCursor(destination)).isEqualTo(2);
        assertThat(redis.opsForHash().size(KEYS.done(destination))).as("results wait behind the failed head")
                .isEqualTo(8);
    }

    @Test
    void aReleaseWithAStaleEpochIsRefused() {
        String destination = "fenced"; // not in PostgreSQL: no leader touches its keys
        for (long sequence = 1; sequence <= 3; sequence++) {
            redis.opsForHash().put(KEYS.done(destination), Long.toString(sequence),
                    Codec.encode(result(destination, sequence, true)));
        }

        long newer = buffer.release(destination, 5, 1, 1);
        long stale = buffer.release(destination, 4, 2, 3);

        assertThat(newer).isEqualTo(1);
        assertThat(stale).isEqualTo(ResultBuffer.FENCED);
        assertThat(outSequences(destination)).containsExactly(1L);
        assertThat(redis.opsForHash().size(KEYS.done(destination))).isEqualTo(2);
        assertThat(buffer.release(destination, 5, 2, 3)).isEqualTo(2);
        assertThat(outSequences(destination)).containsExactly(1L, 2L, 3L);
    }

    @Test
    void aStaleLeaderCannotMoveTheReleasedCursor() throws Exception {
        String destination = "stale";
        createDestination(destination, 100, 0);
        await().atMost(DEADLINE).until(() -> epoch(destination) > 0);
        int id = jdbc.queryForObject("select id from destination where name = ?", Integer.class, destination);
        Lease stale = new Lease(destination, id, LeaseRole.RESEQUENCER, epoch(destination) - 1, 0);

        assertThatThrownBy(() -> cursors.advance(stale, 5)).isInstanceOf(LeaseLostException.class);
        assertThat(resequencerCursor(destination)).isZero();
    }

    @Test
    void aNewLeaderResumesAtTheReleasedCursorAndRedispatchesWhatHasNoResult() {
        String destination = "failover";
        createDestination(destination, 100, 20);
        List<WorkItem> items = new ArrayList<>();
        await().atMost(DEADLINE).until(() -> {
            items.addAll(takeWork(destination));
            return items.size() == 20;
        });
        items.sort((a, b) -> Long.compare(a.sequence(), b.sequence()));
        for (int i = 0; i < 5; i++) {
            finish(items.get(i), true);
        }
        finish(items.get(9), true); // #10 finished but not released: not worked again
        await().atMost(DEADLINE).until(() -> resequencerCursor(destination) == 5);
        long epochBefore = epoch(destination);

        // the lock session ends (as in a network fault): the lease is lost and taken again
        jdbc.queryForList("select pg_terminate_backend(pid) from pg_stat_activity "
                + "where application_name = 'reseq-leases' and datname = current_database()");
        await().atMost(DEADLINE).until(() -> epoch(destination) > epochBefore);
        List<WorkItem> again = new ArrayList<>();
        await().atMost(DEADLINE).until(() -> {
            again.addAll(takeWork(destination));
            return again.size() >= 14;
        });
        for (WorkItem item : again) {
            finish(item, true);
        }

        assertThat(again).extracting(WorkItem::sequence)
                .containsExactlyInAnyOrder(6L, 7L, 8L, 9L, 11L, 12L, 13L, 14L, 15L, 16L, 17L, 18L, 19L, 20L);
        await().atMost(DEADLINE).until(() -> resequencerCursor(destination) == 20);
        assertThat(outSequences(destination)).containsExactlyElementsOf(LongStream.rangeClosed(1, 20).boxed().toList());
    }

    /** Finishes a random part of {@code pending} in a random order, as parallel workers would. */
    private void finishSome(String destination, Map<Long, WorkItem> pending) {
        List<WorkItem> items = new ArrayList<>(pending.values());
        Collections.shuffle(items, random);
        int count = items.isEmpty() ? 0 : 1 + random.nextInt(items.size());
        for (WorkItem item : items.subList(0, count)) {
            finish(item, true);
            pending.remove(item.sequence());
        }
    }

    /** Writes the result of {@code item} and signals it, as a worker does. */
    private void finish(WorkItem item, boolean ok) {
        TransformResult result = result(item.destination(), item.sequence(), ok);
        redis.opsForHash().put(KEYS.done(item.destination()), Long.toString(item.sequence()), Codec.encode(result));
        strings.convertAndSend(KEYS.doneChannel(), Signal.done(item.destination(), item.sequence(), ok).encode());
    }

    private static TransformResult result(String destination, long sequence, boolean ok) {
        return new TransformResult(sequence, UUID.nameUUIDFromBytes((destination + sequence).getBytes()), ok,
                "text/plain", ok ? ("t-" + sequence).getBytes(StandardCharsets.UTF_8) : new byte[0],
                ok ? "" : "always fails", 1, 0);
    }

    /** New work items of {@code destination}: reads the shared work stream on from where it stopped. */
    private List<WorkItem> takeWork(String destination) {
        synchronized (unclaimed) {
            List<MapRecord<String, Object, Object>> records = redis.opsForStream().range(KEYS.work(),
                    Range.of(Range.Bound.exclusive(lastWorkId), Range.Bound.unbounded()), Limit.limit().count(10_000));
            for (MapRecord<String, Object, Object> record : records) {
                WorkItem item = Codec.decodeWorkItem((byte[]) record.getValue().get(RedisKeys.VALUE_FIELD));
                unclaimed.computeIfAbsent(item.destination(), d -> new ArrayList<>()).add(item);
                lastWorkId = record.getId().getValue();
            }
            List<WorkItem> mine = unclaimed.remove(destination);
            return mine == null ? List.of() : mine;
        }
    }

    private List<TransformResult> outResults(String destination) {
        List<MapRecord<String, Object, Object>> records = redis.opsForStream().range(KEYS.out(destination),
                Range.unbounded());
        return records.stream()
                .map(record -> Codec.decodeResult((byte[]) record.getValue().get(RedisKeys.VALUE_FIELD)))
                .toList();
    }

    private List<Long> outSequences(String destination) {
        return outResults(destination).stream().map(TransformResult::sequence).toList();
    }

    private long resequencerCursor(String destination) {
        return jdbc.queryForObject(
                "select position from destination_cursor where destination = ? and role = 'RESEQUENCER'",
                Long.class, destination);
    }

    private long epoch(String destination) {
        return jdbc.queryForObject(
                "select epoch from destination_cursor where destination = ? and role = 'RESEQUENCER'",
                Long.class, destination);
    }

    /** Stores a destination with {@code messages} deliveries in one transaction, as ingress does. */
    private void createDestination(String name, int maxBatch, int messages) {
        String config = DestinationConfigJson.write(new DestinationConfig(DestinationType.HTTP,
                "http://127.0.0.1:9/" + name, null, null, null, null, List.of(), maxBatch, FailurePolicy.BLOCK,
                null, null, null));
        new TransactionTemplate(new DataSourceTransactionManager(dataSource)).executeWithoutResult(status -> {
            jdbc.update("insert into destination (name, config) values (?, ?::jsonb)", name, config);
            jdbc.update("insert into destination_sequence (destination, last_sequence) values (?, ?)", name,
                    messages);
            jdbc.update("insert into destination_cursor (destination, role) values (?, 'RESEQUENCER'), (?, 'EGRESS')",
                    name, name);
            List<Object[]> messageRows = new ArrayList<>();
            List<Object[]> deliveryRows = new ArrayList<>();
            for (long sequence = 1; sequence <= messages; sequence++) {
                UUID id = UUID.randomUUID();
                messageRows.add(new Object[] {id, ("m-" + sequence).getBytes(StandardCharsets.UTF_8)});
                deliveryRows.add(new Object[] {name, sequence, id});
            }
            jdbc.batchUpdate("insert into message (id, channel, content_type, payload, arrived_at) "
                    + "values (?, 'test', 'text/plain', ?, now())", messageRows);
            jdbc.batchUpdate("insert into delivery (destination, sequence, message_id) values (?, ?, ?)",
                    deliveryRows);
        });
        strings.convertAndSend(KEYS.ingestedChannel(), Signal.ingested(name, messages).encode());
    }
}
