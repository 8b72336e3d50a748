package org.reseq.bench.cleanup;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The egress's read: every {@value Writer#TICK_MILLIS} ms the next deliveries of one destination
 * (the destinations in turn), by a {@code (destination, sequence)} range of at most
 * {@value #BATCH} up to what the writer has committed, joined with their messages' payloads.
 *
 * <p>Threads: runs on a thread of its own and owns its connection, its cursors and its
 * {@link OperationLog} of reads.
 */
final class Reader implements Runnable {

    static final int BATCH = 500;
    private static final long TICK = Writer.TICK_MILLIS * 1_000_000L;

    private final Connection connection;
    private final Variant variant;
    private final RunClock clock;
    private final AtomicLong committed;
    private final long[] cursors;
    private final OperationLog reads = new OperationLog();
    private long rowsRead;

    Reader(Connection connection, Variant variant, RunClock clock, int destinations, AtomicLong committed) {
        this.connection = connection;
        this.variant = variant;
        this.clock = clock;
        this.committed = committed;
        this.cursors = new long[destinations];
    }

    @Override
    public void run() {
        try (connection; PreparedStatement select = connection.prepareStatement(variant.readRange())) {
            long next = clock.start();
            int turn = 0;
            while (clock.awaitUntil(next)) {
                next = Math.max(next + TICK, System.nanoTime() - TICK);
                int destination = turn++ % cursors.length;
                long after = cursors[destination];
                long upTo = Math.min(after + BATCH, committed.get());
                long started = System.nanoTime();
                select.setString(1, "d" + (destination + 1));
                select.setLong(2, after);
                select.setLong(3, upTo);
                long last = after;
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        last = rows.getLong(1);
                        rows.getBytes(4);
                        rowsRead++;
                    }
                }
                reads.add(started, System.nanoTime() - started);
                cursors[destination] = last;
            }
        } catch (SQLException | RuntimeException e) {
            clock.fail(e);
        }
    }

    /** The reads; read only once this reader's thread has been joined. */
    OperationLog reads() {
        return reads;
    }

    /** Deliveries read in all; read after the join. */
    long rowsRead() {
        return rowsRead;
    }
}
