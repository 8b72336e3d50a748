package org.reseq.bench.cleanup;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The longest heavyweight-lock wait of the writer's and the reader's backends, and the lock it
 * was for, as far as sampling {@code pg_locks.waitstart} every {@value #EVERY_MILLIS} ms sees it:
 * a wait shorter than that may go unseen, and a seen one is under-estimated by up to that much.
 *
 * <p>Threads: runs on a thread of its own and owns its connection and its maxima, which are
 * read once the thread has been joined.
 */
final class LockWaitSampler implements Runnable {

    static final long EVERY_MILLIS = 20;

    private final Connection connection;
    private final RunClock clock;
    private final int writerPid;
    private final int readerPid;
    private double writerMaxMs;
    private double readerMaxMs;
    private String writerMaxLock = "";
    private String readerMaxLock = "";

    LockWaitSampler(Connection connection, RunClock clock, int writerPid, int readerPid) {
        this.connection = connection;
        this.clock = clock;
        this.writerPid = writerPid;
        this.readerPid = readerPid;
    }

    @Override
    public void run() {
        try (connection; PreparedStatement select = connection.prepareStatement("""
                select pid, extract(epoch from clock_timestamp() - waitstart) * 1000,
                       mode || ' on ' || coalesce(relation::regclass::text, locktype)
                  from pg_locks
                 where not granted and waitstart is not null and pid = any(?)""")) {
            Array pids = connection.createArrayOf("int4", new Integer[] {writerPid, readerPid});
            select.setArray(1, pids);
            long next = clock.start();
            while (clock.awaitUntil(next)) {
                next = Math.max(next + EVERY_MILLIS * 1_000_000L, System.nanoTime());
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        double waited = rows.getDouble(2);
                        if (rows.getInt(1) == writerPid && waited > writerMaxMs) {
                            writerMaxMs = waited;
                            writerMaxLock = rows.getString(3);
                        } else if (rows.getInt(1) == readerPid && waited > readerMaxMs) {
                            readerMaxMs = waited;
                            readerMaxLock = rows.getString(3);
                        }
                    }
                }
            }
        } catch (SQLException | RuntimeException e) {
            clock.fail(e);
        }
    }

    double writerMaxMs() {
        return writerMaxMs;
    }

    double readerMaxMs() {
        return readerMaxMs;
    }

    /** The lock of the writer's longest wait: its mode and relation; empty if none was seen. */
    String writerMaxLock() {
        return writerMaxLock;
    }

    /** The lock of the reader's longest wait; empty if none was seen. */
    String readerMaxLock() {
        return readerMaxLock;
    }
}
