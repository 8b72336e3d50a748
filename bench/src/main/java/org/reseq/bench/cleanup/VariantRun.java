package org.reseq.bench.cleanup;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one variant for a while on fresh tables: creates them, starts the writer, the reader, the
 * cleaner and the lock-wait sampler on threads of their own (each with a connection of its own),
 * samples the tables' size at the end of every minute on the calling thread, stops everything,
 * drops the tables and puts the figures together.
 *
 * <p>Threads: {@link #run} is called on one thread, which starts and joins the others; the
 * figures of each are read after its join.
 */
final class VariantRun {

    private static final Logger log = LoggerFactory.getLogger(VariantRun.class);
    private static final long MINUTE = Duration.ofMinutes(1).toNanos();

    private final BenchDatabase database;
    private final CleanupSettings settings;

    VariantRun(BenchDatabase database, CleanupSettings settings) {
        this.database = database;
        this.settings = settings;
    }

    /**
     * @param duration how long it runs; the last minute may be shorter
     * @param onMinute called with each minute's store sample as it is taken
     */
    VariantResult run(Variant variant, Duration duration, MinuteListener onMinute) throws SQLException {
        try (Connection control = database.connect()) {
            variant.drop(control);
            variant.create(control, settings.destinationsPerMessage(), Instant.now());
            checkpoint(control);
            try {
                return measure(variant, duration, control, onMinute);
            } finally {
                variant.drop(control);
                checkpoint(control);
            }
        }
    }

    /** Called on the running thread with each minute's sample. */
    @FunctionalInterface
    interface MinuteListener {
        void minute(int minute, long messages, StoreSample store);
    }

    private VariantResult measure(Variant variant, Duration duration, Connection control, MinuteListener onMinute)
            throws SQLException {
        List<Connection> connections = connections(4);
        Connection writerConnection = connections.get(0);
        Connection readerConnection = connections.get(1);
        Connection cleanerConnection = connections.get(2);
        Connection samplerConnection = connections.get(3);
        int writerPid;
        int readerPid;
        try {
            writerPid = pid(writerConnection);
            readerPid = pid(readerConnection);
        } catch (SQLException e) {
            closeAll(connections, e);
            throw e;
        }
        AtomicLong committed = new AtomicLong();
        RunClock clock = new RunClock();
        Writer writer = new Writer(writerConnection, variant, clock, settings, committed);
        Reader reader = new Reader(readerConnection, variant, clock, settings.destinationsPerMessage(), committed);
        Cleaner cleaner = new Cleaner(cleanerConnection, variant, clock, settings);
        LockWaitSampler sampler = new LockWaitSampler(samplerConnection, clock, writerPid, readerPid);
        List<Thread> threads = List.of(
                Thread.ofPlatform().name(variant.name() + "-writer").start(writer),
                Thread.ofPlatform().name(variant.name() + "-reader").start(reader),
                Thread.ofPlatform().name(variant.name() + "-cleaner").start(cleaner),
                Thread.ofPlatform().name(variant.name() + "-lock-sampler").start(sampler));
        long end = clock.start() + duration.toNanos();
        List<long[]> boundaries = new ArrayList<>();
        List<StoreSample> stores = new ArrayList<>();
        List<Long> inserted = new ArrayList<>();
        long previous = clock.start();
        try {
            for (long at = clock.start() + MINUTE; ; at += MINUTE) {
                long sampleAt = Math.min(at, end);
                if (!clock.awaitUntil(sampleAt)) {
                    break;
                }
                StoreSample store = StoreSample.take(control);
                long messages = committed.get();
                boundaries.add(new long[] {previous, sampleAt});
                previous = sampleAt;
                stores.add(store);
                inserted.add(messages);
                onMinute.minute(stores.size(), messages, store);
                if (sampleAt == end) {
                    break;
                }
            }
        } finally {
            clock.stop();
            join(threads);
        }
        if (clock.failure() != null) {
            throw new IllegalStateException(variant.name() + " failed: " + clock.failure().getMessage(), clock.failure());
        }
        return result(variant, (System.nanoTime() - clock.start()) / 1e9, writer, reader, cleaner, sampler,
                boundaries, stores, inserted);
    }

    private VariantResult result(Variant variant, double seconds, Writer writer, Reader reader, Cleaner cleaner,
                                 LockWaitSampler sampler, List<long[]> boundaries, List<StoreSample> stores,
                                 List<Long> inserted) {
        List<Cleaner.Run> runs = cleaner.runs();
        CleanupWindows windows = new CleanupWindows(runs.stream().map(run -> new long[] {run.start(), run.end()})
                .toArray(long[][]::new));
        CleanupPass removed = runs.stream().map(Cleaner.Run::pass).reduce(CleanupPass.NOTHING, CleanupPass::plus);
        OperationLog commits = writer.commits();
        OperationLog reads = reader.reads();
        List<VariantResult.Minute> minutes = new ArrayList<>();
        for (int k = 0; k < stores.size(); k++) {
            long from = boundaries.get(k)[0];
            long to = boundaries.get(k)[1];
            List<Cleaner.Run> inMinute = runs.stream().filter(run -> run.start() - from >= 0 && run.start() - to < 0)
                    .toList();
            minutes.add(new VariantResult.Minute(k + 1, inserted.get(k), commits.startedBetween(from, to), stores.get(k),
                    inMinute.size(), inMinute.stream().mapToLong(run -> run.pass().messages()).sum()));
        }
        long messages = inserted.isEmpty() ? 0 : inserted.getLast();
        return new VariantResult(variant.name(), seconds, messages, messages * settings.destinationsPerMessage(),
                writer.maxBacklog(), writer.behindAtEnd(), commits.all(), commits.split(windows, true),
                commits.split(windows, false), reader.rowsRead(), reads.all(), reads.split(windows, true), reads.split(windows, false),
                runs.size(), removed, runs.stream().mapToLong(Cleaner.Run::nanos).max().orElse(0) / 1e6,
                runs.stream().mapToLong(Cleaner.Run::nanos).sum() / 1e9,
                runs.stream().mapToLong(run -> run.before().bytes()).max().orElse(0), minutes, sampler.writerMaxMs(),
                sampler.readerMaxMs(), sampler.writerMaxLock(), sampler.readerMaxLock());
    }

    /** One connection for each thread, which closes it when it ends; all or none. */
    private List<Connection> connections(int count) throws SQLException {
        List<Connection> connections = new ArrayList<>(count);
        try {
            while (connections.size() < count) {
                connections.add(database.connect());
            }
            return connections;
        } catch (SQLException e) {
            closeAll(connections, e);
            throw e;
        }
    }

    private static void closeAll(List<Connection> connections, Exception cause) {
        for (Connection connection : connections) {
            try {
                connection.close();
            } catch (SQLException suppressed) {
                cause.addSuppressed(suppressed);
            }
        }
    }

    private static int pid(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("select pg_backend_pid()")) {
            row.next();
            return row.getInt(1);
        }
    }

    /** Writes out what the previous variant dirtied, so that it does not weigh on the next. */
    private static void checkpoint(Connection connection) {
        try (Statement statement = connection.createStatement()) {
            statement.execute("checkpoint");
        } catch (SQLException e) {
            log.warn("No checkpoint between variants: {}", e.getMessage());
        }
    }

    private static void join(List<Thread> threads) {
        boolean interrupted = false;
        for (Thread thread : threads) {
            while (true) {
                try {
                    thread.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
