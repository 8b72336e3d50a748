package org.reseq.ingress.idempotency;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import org.reseq.ingress.IngressProperties;
import org.reseq.ingress.schedule.FixedDelayTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Forgets idempotency keys after the retention: sets {@code message.idempotency_key} to null for
 * messages that arrived longer ago than that, so the key may name a new message afterwards and the
 * unique index over keys only holds the keys of the retention window.
 *
 * <p>Each run clears in short transactions of at most {@code cleanupBatch} rows. Message ids are
 * UUIDv7, so the expired messages are an id range: a run walks the primary key from where the
 * previous run ended instead of scanning every message ever stored, and re-reads a minute of
 * overlap for a message whose id and arrival straddle the cutoff. Several instances may clean at
 * once: rows another one holds are skipped ({@code skip locked}), as that one clears them.
 *
 * <p>Threads: one scheduler thread of its own calls {@link #cleanUp()} at a fixed delay; a lock
 * keeps a direct call (tests, operators) from racing it over the walk position.
 */
@Component
class IdempotencyKeyCleaner implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(IdempotencyKeyCleaner.class);
    private static final Duration OVERLAP = Duration.ofMinutes(1);
    private static final String CLEAR = """
            with expired as (
                select id from message
                 where id > ? and id < ? and idempotency_key is not null and arrived_at < ?
                 order by id
                 limit ?
                   for update skip locked),
            cleared as (
                update message m set idempotency_key = null
                  from expired where m.id = expired.id
                returning m.id)
            select (select count(*) from cleared) as cleared,
                   (select id from cleared order by id desc limit 1) as last""";

    private final JdbcClient jdbc;
    private final Clock clock;
    private final Duration retention;
    private final Duration interval;
    private final int batchSize;
    private final Counter expired;
    private final ReentrantLock lock = new ReentrantLock();
    /** Ids up to here hold no expired key any more; guarded by {@link #lock}. */
    private UUID after = new UUID(0, 0);
    private final FixedDelayTask schedule;

    IdempotencyKeyCleaner(JdbcClient jdbc, Clock clock, IngressProperties properties, MeterRegistry registry) {
        this.jdbc = jdbc;
        this.clock = clock;
        IngressProperties.Idempotency settings = properties.ingest().idempotency();
        this.retention = settings.retention();
        this.interval = settings.cleanupInterval();
        this.batchSize = settings.cleanupBatch();
        this.schedule = new FixedDelayTask("idempotency-cleanup", interval, this::runQuietly);
        this.expired = Counter.builder("reseq.ingress.idempotency.keys.expired")
                .description("Idempotency keys forgotten after the retention").register(registry);
    }

    /**
     * Clears every key older than the retention.
     *
     * @return how many keys this call cleared
     */
    long cleanUp() {
        lock.lock();
        try {
            Instant cutoff = clock.instant().minus(retention);
            UUID bound = lowestIdAt(cutoff);
            long total = 0;
            while (true) {
                Batch batch = jdbc.sql(CLEAR)
                        .params(after, bound, OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC), batchSize)
                        .query((rows, number) -> new Batch(rows.getLong("cleared"), rows.getObject("last", UUID.class)))
                        .single();
                total += batch.cleared();
                expired.increment(batch.cleared());
                if (batch.cleared() < batchSize) {
                    break;
                }
                after = batch.last();
            }
            // Everything older than the overlap is done: the next run starts there.
            UUID settled = lowestIdAt(cutoff.minus(OVERLAP));
            if (compare(settled, after) > 0) {
                after = settled;
            }
            return total;
        } finally {
            lock.unlock();
        }
    }

    /** The smallest UUIDv7 of the instant's millisecond: every id made earlier sorts below it. */
    static UUID lowestIdAt(Instant instant) {
        long millis = Math.max(0, instant.toEpochMilli());
        return new UUID(millis << 16, 0);
    }

    /** Orders UUIDs as PostgreSQL does: bytes, unsigned. */
    static int compare(UUID a, UUID b) {
        int high = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
        return high != 0 ? high : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
    }

    private void runQuietly() {
        try {
            long cleared = cleanUp();
            if (cleared > 0) {
                log.debug("Forgot {} idempotency keys older than {}", cleared, retention);
            }
        } catch (RuntimeException e) {
            // The store may be down for a while; the next run catches up.
            log.warn("Expired idempotency keys could not be cleared ({}); retrying in {}", e.toString(), interval);
        }
    }

    @Override
    public void start() {
        schedule.start();
    }

    @Override
    public void stop() {
        schedule.stop();
    }

    @Override
    public boolean isRunning() {
        return schedule.isRunning();
    }

    private record Batch(long cleared, UUID last) {
    }
}
