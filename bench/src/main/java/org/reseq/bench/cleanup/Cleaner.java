package org.reseq.bench.cleanup;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The retention job: every interval (at a fixed rate from the start; a run that overruns is
 * followed at once by the next) one {@link Variant#clean} run, whose start and end it records so
 * that writer and reader latencies can be split into during and outside a cleanup, and the size
 * of the tables just before it, their peak.
 *
 * <p>Threads: runs on a thread of its own and owns its connection (in auto-commit mode between
 * runs) and what it records.
 */
final class Cleaner implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(Cleaner.class);

    /** One cleaner run: when (nanoTime), what it did, and the tables just before it. */
    record Run(long start, long end, CleanupPass pass, StoreSample before) {

        long nanos() {
            return end - start;
        }
    }

    private final Connection connection;
    private final Variant variant;
    private final RunClock clock;
    private final long interval;
    private final List<Run> runs = new ArrayList<>();

    Cleaner(Connection connection, Variant variant, RunClock clock, CleanupSettings settings) {
        this.connection = connection;
        this.variant = variant;
        this.clock = clock;
        this.interval = settings.cleanupInterval().toNanos();
    }

    @Override
    public void run() {
        try (connection) {
            long next = clock.start() + interval;
            while (clock.awaitUntil(next)) {
                // The largest the tables get is just before a run; taken outside the run's window.
                StoreSample before = StoreSample.take(connection);
                long start = System.nanoTime();
                CleanupPass pass = variant.clean(connection, Instant.now());
                long end = System.nanoTime();
                runs.add(new Run(start, end, pass, before));
                log.info("{} cleanup at {} s: {} ms, {}", variant.name(), (start - clock.start()) / 1_000_000_000L,
                        (end - start) / 1_000_000L, pass);
                next = Math.max(next + interval, end);
            }
        } catch (SQLException | RuntimeException e) {
            clock.fail(e);
        }
    }

    /** The runs, in order; read only once this cleaner's thread has been joined. */
    List<Run> runs() {
        return runs;
    }
}
