package org.reseq.ingress.idempotency;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.reseq.ingress.IngressProperties;
import org.reseq.ingress.schedule.FixedDelayTask;
import org.reseq.ingress.schedule.OutageLogging;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Forgets idempotency keys after the retention: deletes the rows of {@code idempotency_key} whose
 * message arrived longer ago than that, so the key may name a new message afterwards. The message
 * itself stays until its own retention ({@code reseq.retention.delivered}) has passed too.
 *
 * <p>Each run deletes in short transactions of at most {@code cleanupBatch} keys, found through
 * the index on their age. Several instances may clean at once: rows another one holds are skipped
 * ({@code skip locked}), as that one deletes them.
 *
 * <p>Threads: one scheduler thread of its own calls {@link #cleanUp()} at a fixed delay; direct
 * calls (tests, operators) may run beside it, as every batch is a statement of its own.
 */
@Component
class IdempotencyKeyCleaner {

    private static final Logger log = LoggerFactory.getLogger(IdempotencyKeyCleaner.class);
    private static final String DELETE_EXPIRED = """
            delete from idempotency_key where ctid in (
                select ctid from idempotency_key where arrived_at < ? limit ? for update skip locked)""";

    private final JdbcClient jdbc;
    private final Clock clock;
    private final Duration retention;
    private final Duration interval;
    private final int batchSize;
    private final Counter expired;

    IdempotencyKeyCleaner(JdbcClient jdbc, Clock clock, IngressProperties properties, MeterRegistry registry) {
        this.jdbc = jdbc;
        this.clock = clock;
        IngressProperties.Idempotency settings = properties.ingest().idempotency();
        this.retention = settings.retention();
        this.interval = settings.cleanupInterval();
        this.batchSize = settings.cleanupBatch();
        this.expired = Counter.builder("reseq.ingress.idempotency.keys.expired")
                .description("Idempotency keys forgotten after the retention").register(registry);
    }

    /**
     * Deletes every key older than the retention.
     *
     * @return how many keys this call deleted
     */
    long cleanUp() {
        OffsetDateTime cutoff = OffsetDateTime.ofInstant(clock.instant().minus(retention), ZoneOffset.UTC);
        long total = 0;
        while (true) {
            int deleted = jdbc.sql(DELETE_EXPIRED).params(cutoff, batchSize).update();
            total += deleted;
            expired.increment(deleted);
            if (deleted < batchSize) {
                return total;
            }
        }
    }

    /** Runs {@link #cleanUp()} every {@code reseq.ingest.idempotency.cleanup-interval}, from start to shutdown. */
    @Bean
    FixedDelayTask idempotencyCleanupSchedule() {
        // The store may be down for a while: one warning per outage, and the next run catches up.
        return new FixedDelayTask("idempotency-cleanup", interval,
                new OutageLogging("Clearing expired idempotency keys", interval, log, this::runOnce));
    }

    private void runOnce() {
        long cleared = cleanUp();
        if (cleared > 0) {
            log.debug("Forgot {} idempotency keys older than {}", cleared, retention);
        }
    }
}
