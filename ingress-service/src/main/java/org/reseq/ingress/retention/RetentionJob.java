package org.reseq.ingress.retention;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.reseq.ingress.IngressProperties;
import org.reseq.model.redis.RedisKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Removes what reseq no longer needs, so that storage stays bounded under continuous load:
 * messages delivered to every destination of their channel (and those whose destinations are all
 * gone) once {@code reseq.retention.delivered} has passed since their last delivery, resolved
 * dead letters, old operator actions and lease take-overs, and the Redis keys of deleted
 * destinations ({@link RedisKeySweep}). Undelivered messages and
 * unresolved dead letters are never removed, nor is a message while an idempotency key names it
 * ({@code IdempotencyKeyCleaner} forgets keys after their own retention).
 *
 * <p>A delivery's age: every run records where each destination's egress cursor stands
 * ({@code delivered_mark}); a delivery covered by a mark older than the retention period was
 * delivered at least that long ago, give or take one run's interval.
 *
 * <p>Every removal is a short transaction of at most {@code reseq.retention.batch} rows, whose
 * rows are locked with {@code skip locked}: no long-held lock, nothing that waits for ingest or
 * delivery, and several instances may run it at once.
 *
 * <p>Threads: {@link RetentionScheduling} calls {@link #run()} on one thread of its own; a lock keeps
 * a direct call (tests, operators) from running it at the same time.
 */
@Component
public class RetentionJob {

    private static final Logger log = LoggerFactory.getLogger(RetentionJob.class);

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final IngressProperties.Retention settings;
    private final MeterRegistry registry;
    private final Map<String, Counter> removed = new ConcurrentHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final RetentionGauges gauges;
    private final DestinationGauges destinationGauges;
    private final DeadRowVacuum vacuum;
    private final RedisKeySweep redisKeys;

    RetentionJob(JdbcClient jdbc, TransactionTemplate transactions, Clock clock, IngressProperties properties,
                 MeterRegistry registry, StringRedisTemplate redis, RedisKeys keys) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.clock = clock;
        this.settings = properties.retention();
        this.registry = registry;
        this.gauges = new RetentionGauges(jdbc, clock, registry);
        this.destinationGauges = new DestinationGauges(jdbc, clock, registry);
        this.vacuum = new DeadRowVacuum(jdbc, RetentionGauges.TABLES, registry);
        this.redisKeys = new RedisKeySweep(redis, keys, jdbc, registry);
    }

    /** What one run removed, per table. */
    public record Removed(long messages, long deliveries, long deadLetters, long operatorActions,
                          long leaseTakeovers, long redisKeys) {
    }

    /** Records where delivery stands, then removes whatever is past its retention. */
    public Removed run() {
        lock.lock();
        try {
            Instant now = clock.instant();
            markDelivered(now);
            long[] messages = removeDeliveredMessages(now.minus(settings.delivered()));
            Removed removedNow = new Removed(messages[0], messages[1],
                    removeResolvedDeadLetters(now.minus(settings.deadLetters())),
                    removeBatched("operator_action", "at", now.minus(settings.operatorActions())),
                    removeBatched("lease_takeover", "at", now.minus(settings.operatorActions())),
                    sweepRedisKeys());
            forgetUnneededMarks(now.minus(settings.delivered()));
            vacuum.vacuumIfNeeded();
            gauges.refresh();
            destinationGauges.refresh();
            return removedNow;
        } finally {
            lock.unlock();
        }
    }

    /** Redis may be down while PostgreSQL is not: that must not stop the rest of retention. */
    private long sweepRedisKeys() {
        try {
            return redisKeys.sweep();
        } catch (RuntimeException e) {
            log.warn("Redis keys of deleted destinations could not be swept ({}); the next run tries again",
                    e.toString());
            return 0;
        }
    }

    private void markDelivered(Instant now) {
        jdbc.sql("""
                        insert into delivered_mark (destination, position, marked_at)
                        select destination, position, :at from destination_cursor where role = 'EGRESS'
                        on conflict do nothing""")
                .param("at", OffsetDateTime.ofInstant(now, ZoneOffset.UTC)).update();
    }

    /**
     * Removes, batch by batch, the messages that arrived before the cutoff and whose every
     * delivery is covered by a mark older than it (none left counts: their destinations are gone).
     * A message an idempotency key still names stays: a repeat is answered with its receipt.
     *
     * @return messages and deliveries removed
     */
    private long[] removeDeliveredMessages(Instant cutoff) {
        OffsetDateTime at = OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC);
        // Message ids are UUIDv7: every message that arrived before the cutoff has a lower id.
        UUID bound = new UUID(Math.max(0, cutoff.toEpochMilli()) << 16, 0);
        // Each batch starts after the last id the previous one removed: the messages it passed
        // over on the way are kept, so a run reads each old message once, not once per batch.
        UUID after = new UUID(0, 0);
        long messages = 0;
        long deliveries = 0;
        while (true) {
            UUID from = after;
            List<UUID> expired = new ArrayList<>();
            long[] batch = transactions.execute(status -> {
                expired.addAll(jdbc.sql("""
                                with settled as (
                                    select destination, max(position) as position from delivered_mark
                                     where marked_at <= :at group by destination)
                                select m.id from message m
                                 where m.id > :after and m.id < :bound and m.arrived_at < :at
                                   and not exists (select 1 from idempotency_key k where k.message_id = m.id)
                                   and not exists (select 1 from delivery d
                                                     left join settled s on s.destination = d.destination
                                                    where d.message_id = m.id
                                                      and (s.position is null or d.sequence > s.position))
                                 order by m.id
                                 limit :batch
                                   for update of m skip locked""")
                        .param("at", at).param("after", from).param("bound", bound).param("batch", settings.batch())
                        .query(UUID.class).list());
                if (expired.isEmpty()) {
                    return new long[] {0, 0};
                }
                UUID[] ids = expired.toArray(UUID[]::new);
                long deliveriesGone = jdbc.sql("delete from delivery where message_id = any(:ids)")
                        .param("ids", ids).update();
                long messagesGone = jdbc.sql("delete from message where id = any(:ids)").param("ids", ids).update();
                return new long[] {messagesGone, deliveriesGone};
            });
            messages += batch[0];
            deliveries += batch[1];
            count("message", batch[0]);
            count("delivery", batch[1]);
            if (expired.size() < settings.batch()) {
                return new long[] {messages, deliveries};
            }
            after = expired.getLast();
        }
    }

    /** Dead letters redelivered, or skipped, before the cutoff; those nobody resolved stay. */
    private long removeResolvedDeadLetters(Instant cutoff) {
        return drain("dead_letter", """
                delete from dead_letter where ctid in (
                    select ctid from dead_letter
                     where coalesce(redelivered_at, dead_lettered_at) < :at
                       and (redelivered_at is not null or stage = 'SKIPPED')
                     limit :batch
                       for update skip locked)""", cutoff);
    }

    /** Rows of {@code table} whose {@code column} is before the cutoff. */
    private long removeBatched(String table, String column, Instant cutoff) {
        return drain(table, "delete from " + table + " where ctid in (select ctid from " + table + " where "
                + column + " < :at limit :batch for update skip locked)", cutoff);
    }

    /**
     * Runs {@code delete}, a statement that removes at most {@code :batch} rows older than
     * {@code :at}, each time in a transaction of its own, until a run removes fewer.
     *
     * @return the rows removed
     */
    private long drain(String table, String delete, Instant cutoff) {
        OffsetDateTime at = OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC);
        long total = 0;
        while (true) {
            long gone = jdbc.sql(delete).param("at", at).param("batch", settings.batch()).update();
            total += gone;
            count(table, gone);
            if (gone < settings.batch()) {
                return total;
            }
        }
    }

    /**
     * Keeps only the marks still needed: those after the cutoff, and the newest one before it per
     * destination (the one that says how far delivery had got a retention period ago).
     */
    private void forgetUnneededMarks(Instant cutoff) {
        jdbc.sql("""
                        delete from delivered_mark m
                         where m.marked_at < (select max(n.marked_at) from delivered_mark n
                                               where n.destination = m.destination and n.marked_at <= :at)""")
                .param("at", OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC)).update();
    }

    private void count(String table, long rows) {
        if (rows > 0) {
            removed.computeIfAbsent(table, name -> Counter.builder("reseq.retention.removed")
                    .description("Rows removed after their retention").tag("table", name).register(registry))
                    .increment(rows);
            log.debug("Removed {} rows of {} past their retention", rows, table);
        }
    }

    /** Reads the per-destination gauges again (backlog, cursors, oldest undelivered age). */
    void refreshDestinationGauges() {
        destinationGauges.refresh();
    }

    Duration interval() {
        return settings.interval();
    }
}
