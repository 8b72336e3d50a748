package org.reseq.resequencer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.reseq.infra.TestInfrastructure;
import org.reseq.model.destination.DestinationConfig;
import org.reseq.model.destination.DestinationConfigJson;
import org.reseq.model.destination.DestinationType;
import org.reseq.model.destination.FailurePolicy;
import org.reseq.model.destination.TransformSpec;
import org.reseq.model.failure.OperatorCommand;
import org.reseq.model.redis.Codec;
import org.reseq.model.redis.Incarnation;
import org.reseq.model.redis.RedisKeys;
import org.reseq.model.redis.Signal;
import org.reseq.model.redis.TransformResult;
import org.reseq.model.redis.WorkItem;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Plays the services around the resequencer in its integration tests: stores deliveries as
 * ingress does, takes work items and writes results as a worker does, advances the delivered
 * cursor as egress does, and reads what the resequencer wrote. Each test class has its own
 * database and Redis key prefix.
 *
 * <p>Used from the test thread only (the work stream read position is plain state).
 */
final class FakePipeline {

    private final DataSource dataSource;
    private final JdbcTemplate jdbc;
    private final RedisTemplate<String, byte[]> redis;
    private final StringRedisTemplate strings;
    private final RedisKeys keys;
    /** Work items read from the shared work stream but not yet taken, by destination. */
    private final Map<String, List<WorkItem>> unclaimed = new HashMap<>();
    /** Each destination's transform budget: the head deadline is this plus the configured slack. */
    static final Duration TRANSFORM_TIMEOUT = Duration.ofMillis(100);

    private final Map<String, Incarnation> incarnations = new ConcurrentHashMap<>();
    private String lastWorkId = "0-0";

    FakePipeline(DataSource dataSource, RedisTemplate<String, byte[]> redis, StringRedisTemplate strings,
                 RedisKeys keys) {
        this.dataSource = dataSource;
        this.jdbc = new JdbcTemplate(dataSource);
        this.redis = redis;
        this.strings = strings;
        this.keys = keys;
    }

    /** Points the resequencer under test at its own database and key prefix, with short timings. */
    static void register(DynamicPropertyRegistry registry, TestInfrastructure infrastructure) {
        infrastructure.register(registry);
        registry.add("reseq.resequencer.poll-interval", () -> "100ms");
        registry.add("reseq.resequencer.lease-tick", () -> "200ms");
        registry.add("reseq.instance-id", () -> "resequencer-under-test");
    }

    /** Stores a destination with {@code messages} deliveries in one transaction, as ingress does. */
    void createDestination(String name, int maxBatch, int messages) {
        createDestination(name, maxBatch, messages, FailurePolicy.BLOCK);
    }

    /**
     * Stores a destination with {@code messages} deliveries and the given failure policy, and one
     * transform step, so that its deliveries go to the workers this class plays.
     */
    void createDestination(String name, int maxBatch, int messages, FailurePolicy onFailure) {
        createDestination(name, maxBatch, messages, onFailure, List.of(new TransformSpec.Delay(1L, 1L)));
    }

    /** Stores a destination with {@code messages} deliveries, the given failure policy and transforms. */
    void createDestination(String name, int maxBatch, int messages, FailurePolicy onFailure,
                           List<TransformSpec> transforms) {
        String config = DestinationConfigJson.write(new DestinationConfig(DestinationType.HTTP,
                "http://127.0.0.1:9/" + name, null, null, null, null, transforms, maxBatch, onFailure,
                TRANSFORM_TIMEOUT.toMillis(), 1, null, null, null, null));
        new TransactionTemplate(new DataSourceTransactionManager(dataSource)).executeWithoutResult(status -> {
            int destinationId = jdbc.queryForObject(
                    "insert into destination (name, config) values (?, ?::jsonb) returning id",
                    Integer.class, name, config);
            incarnations.put(name, new Incarnation(name, destinationId));
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
        strings.convertAndSend(keys.ingestedChannel(), Signal.ingested(name, messages).encode());
    }

    /**
     * Stores {@code messages} more deliveries of {@code name} as ingress does, but publishes no
     * ingested signal, as when ingress stopped between its commit and its signal.
     */
    void ingestWithoutSignal(String name, int messages) {
        new TransactionTemplate(new DataSourceTransactionManager(dataSource)).executeWithoutResult(status -> {
            long last = jdbc.queryForObject(
                    "select last_sequence from destination_sequence where destination = ? for update", Long.class, name);
            for (long sequence = last + 1; sequence <= last + messages; sequence++) {
                UUID id = UUID.randomUUID();
                jdbc.update("insert into message (id, channel, content_type, payload, arrived_at) "
                        + "values (?, 'test', 'text/plain', ?, now())", id,
                        ("m-" + sequence).getBytes(StandardCharsets.UTF_8));
                jdbc.update("insert into delivery (destination, sequence, message_id) values (?, ?, ?)", name,
                        sequence, id);
            }
            jdbc.update("update destination_sequence set last_sequence = ? where destination = ?", last + messages,
                    name);
        });
    }

    /** New work items of {@code destination}: reads the shared work stream on from where it stopped. */
    List<WorkItem> takeWork(String destination) {
        List<MapRecord<String, Object, Object>> records = redis.opsForStream().range(keys.work(),
                Range.of(Range.Bound.exclusive(lastWorkId), Range.Bound.unbounded()), Limit.limit().count(10_000));
        for (MapRecord<String, Object, Object> record : records) {
            WorkItem item = Codec.decodeWorkItem((byte[]) record.getValue().get(RedisKeys.VALUE_FIELD));
            unclaimed.computeIfAbsent(item.destination(), d -> new ArrayList<>()).add(item);
            lastWorkId = record.getId().getValue();
        }
        List<WorkItem> mine = unclaimed.remove(destination);
        return mine == null ? List.of() : mine;
    }

    /** Takes new work items of {@code destination} until there are {@code count}, within {@code deadline}. */
    List<WorkItem> awaitWork(String destination, int count, Duration deadline) {
        List<WorkItem> items = new ArrayList<>();
        await().atMost(deadline).until(() -> {
            items.addAll(takeWork(destination));
            return items.size() >= count;
        });
        assertThat(items).hasSize(count);
        return items;
    }

    /** Writes the result of {@code item} and signals it, as a worker does. */
    void finish(WorkItem item, boolean ok) {
        TransformResult result = result(item.destination(), item.sequence(), ok);
        redis.opsForHash().put(keys.done(item.destinationIncarnation()), Long.toString(item.sequence()),
                Codec.encode(result));
        strings.convertAndSend(keys.doneChannel(), Signal.done(item.destination(), item.sequence(), ok).encode());
    }

    /** Writes a failed result of {@code item} after {@code attempts} attempts and signals it, as a worker does. */
    void fail(WorkItem item, String error, int attempts) {
        TransformResult result = TransformResult.failure(item, error, attempts, 0);
        redis.opsForHash().put(keys.done(item.destinationIncarnation()), Long.toString(item.sequence()),
                Codec.encode(result));
        strings.convertAndSend(keys.doneChannel(), Signal.done(item.destination(), item.sequence(), false).encode());
    }

    /** Queues an operator command for the destination's resequencer leader and announces it, as the admin API does. */
    void command(String destination, OperatorCommand command) {
        strings.opsForList().rightPush(keys.commands(incarnation(destination)), command.encode());
        strings.convertAndSend(keys.destinationsChannel(), destination);
    }

    long pendingCommands(String destination) {
        Long size = strings.opsForList().size(keys.commands(incarnation(destination)));
        return size == null ? 0 : size;
    }

    static TransformResult result(String destination, long sequence, boolean ok) {
        return new TransformResult(sequence, UUID.nameUUIDFromBytes((destination + sequence).getBytes()), ok,
                "text/plain", ok ? ("t-" + sequence).getBytes(StandardCharsets.UTF_8) : new byte[0],
                ok ? "" : "always fails", 1, 0);
    }

    /** Moves the delivered cursor and signals it, as egress does. */
    void deliver(String destination, long position) {
        jdbc.update("update destination_cursor set position = ? where destination = ? and role = 'EGRESS'",
                position, destination);
        strings.convertAndSend(keys.deliveredChannel(), Signal.delivered(destination, position).encode());
    }

    /**
     * Deletes every key of this test's prefix at once, as a Redis restart without persistence
     * would (never FLUSHALL: other tests share the server), and reads the work stream from its
     * start again.
     */
    void loseRedisData() {
        Set<String> all = new java.util.HashSet<>();
        try (Cursor<String> cursor = strings.scan(ScanOptions.scanOptions().match(keys.prefix() + "*").count(1000)
                .build())) {
            cursor.forEachRemaining(all::add);
        }
        if (!all.isEmpty()) {
            strings.delete(all);
        }
        unclaimed.clear();
        lastWorkId = "0-0";
    }

    List<TransformResult> outResults(String destination) {
        List<MapRecord<String, Object, Object>> records = redis.opsForStream().range(keys.out(incarnation(destination)),
                Range.unbounded());
        return records.stream()
                .map(record -> Codec.decodeResult((byte[]) record.getValue().get(RedisKeys.VALUE_FIELD)))
                .toList();
    }

    List<Long> outSequences(String destination) {
        return outResults(destination).stream().map(TransformResult::sequence).toList();
    }

    /**
     * The incarnation of a destination {@linkplain #createDestination created} here: its row's id
     * names its Redis keys. Remembered, so that it can be asked while PostgreSQL is away.
     */
    Incarnation incarnation(String destination) {
        Incarnation incarnation = incarnations.get(destination);
        if (incarnation == null) {
            throw new IllegalArgumentException("No destination " + destination + " was created here");
        }
        return incarnation;
    }

    long releasedCursor(String destination) {
        return jdbc.queryForObject(
                "select position from destination_cursor where destination = ? and role = 'RESEQUENCER'",
                Long.class, destination);
    }

    long epoch(String destination) {
        return jdbc.queryForObject(
                "select epoch from destination_cursor where destination = ? and role = 'RESEQUENCER'",
                Long.class, destination);
    }
}
