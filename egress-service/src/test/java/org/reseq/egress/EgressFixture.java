package org.reseq.egress;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.reseq.model.redis.Codec;
import org.reseq.model.redis.Incarnation;
import org.reseq.model.redis.RedisKeys;
import org.reseq.model.redis.RedisTemplates;
import org.reseq.model.redis.Signal;
import org.reseq.model.redis.TransformResult;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What the admin API and the resequencer would have written, for the egress integration tests:
 * a destination's rows in PostgreSQL, results on its out stream, the released signal; and the
 * egress state the tests read back.
 */
final class EgressFixture {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final RedisTemplate<String, byte[]> redis;
    private final StringRedisTemplate signals;
    private final RedisKeys keys;
    private final Map<String, Incarnation> incarnations = new ConcurrentHashMap<>();

    EgressFixture(JdbcTemplate jdbc, PlatformTransactionManager transactions, RedisConnectionFactory connectionFactory,
            StringRedisTemplate signals, RedisKeys keys) {
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactions);
        this.redis = RedisTemplates.binary(connectionFactory);
        this.signals = signals;
        this.keys = keys;
    }

    /**
     * Creates the destination's rows in one transaction, as the admin API does, with its last
     * and released sequence at {@code released} and its delivered cursor at {@code delivered}.
     */
    void createDestination(String name, String configJson, boolean paused, long released, long delivered) {
        transactions.executeWithoutResult(status -> {
            int id = jdbc.queryForObject(
                    "insert into destination (name, config, paused) values (?, ?::jsonb, ?) returning id",
                    Integer.class, name, configJson, paused);
            incarnations.put(name, new Incarnation(name, id));
            jdbc.update("insert into destination_sequence (destination, last_sequence) values (?, ?)", name,
                    released);
            jdbc.update("insert into destination_cursor (destination, role, position) values (?, 'RESEQUENCER', ?)",
                    name, released);
            jdbc.update("insert into destination_cursor (destination, role, position) values (?, 'EGRESS', ?)", name,
                    delivered);
        });
    }

    /** The incarnation of a destination created here: its row's id names its Redis keys. */
    Incarnation incarnation(String destination) {
        Incarnation incarnation = incarnations.get(destination);
        if (incarnation == null) {
            throw new IllegalArgumentException("No destination " + destination + " was created here");
        }
        return incarnation;
    }

    /** Pauses or resumes the destination and announces the change, as the admin API does. */
    void setPaused(String destination, boolean paused) {
        jdbc.update("update destination set paused = ? where name = ?", paused, destination);
        signals.convertAndSend(keys.destinationsChannel(), destination);
    }

    /** Appends the results to the destination's out stream, nothing else. */
    void append(String destination, List<TransformResult> results) {
        for (TransformResult result : results) {
            redis.opsForStream().add(StreamRecords.newRecord().in(keys.out(incarnation(destination)))
                    .ofMap(Map.of(RedisKeys.VALUE_FIELD, Codec.encode(result))));
        }
    }

    /** Publishes the resequencer's released signal. */
    void signalReleased(String destination, long released) {
        signals.convertAndSend(keys.releasedChannel(), Signal.released(destination, released).encode());
    }

    /** Moves the destination's last sequence, as ingest would. */
    void lastSequence(String destination, long last) {
        jdbc.update("update destination_sequence set last_sequence = ? where destination = ?", last, destination);
    }

    /** Moves the resequencer's released cursor, as its leader would. */
    void released(String destination, long position) {
        jdbc.update("update destination_cursor set position = ? where destination = ? and role = 'RESEQUENCER'",
                position, destination);
    }

    long deliveredCursor(String destination) {
        return jdbc.queryForObject("select position from destination_cursor where destination = ? and role = 'EGRESS'",
                Long.class, destination);
    }

    long outStreamLength(String destination) {
        Long length = signals.opsForStream().size(keys.out(incarnation(destination)));
        return length == null ? 0 : length;
    }
}
