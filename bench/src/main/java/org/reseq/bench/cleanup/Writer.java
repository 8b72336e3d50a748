package org.reseq.bench.cleanup;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ingress's group commit: every {@value #TICK_MILLIS} ms one transaction inserts the messages
 * due by then (an open-loop schedule at the given rate, so a slow commit makes the next one bigger
 * rather than the load lighter) with one {@code unnest} statement, and their deliveries, one per
 * destination, with another. Every message goes to every destination, so the sequence of the
 * n-th message is n in each of them.
 *
 * <p>Threads: runs on a thread of its own and owns its connection and its {@link OperationLog}
 * of commits; it publishes the number of committed messages (so the reader knows how far it may
 * read) through an {@link AtomicLong}.
 */
final class Writer implements Runnable {

    static final long TICK_MILLIS = 10;
    private static final long TICK = TICK_MILLIS * 1_000_000L;
    /** A commit takes no more than this many messages, however far behind the writer is. */
    private static final int MAX_BATCH = 20_000;
    private static final int PAYLOADS = 64;

    private final Connection connection;
    private final Variant variant;
    private final RunClock clock;
    private final double rate;
    private final int destinations;
    private final byte[][] payloads;
    private final AtomicLong committed;
    private final OperationLog commits = new OperationLog();
    private final TimeOrderedIds ids = new TimeOrderedIds();
    private long maxBacklog;
    private long behindAtEnd;

    Writer(Connection connection, Variant variant, RunClock clock, CleanupSettings settings, AtomicLong committed) {
        this.connection = connection;
        this.variant = variant;
        this.clock = clock;
        this.rate = settings.rate();
        this.destinations = settings.destinationsPerMessage();
        this.committed = committed;
        SplittableRandom random = new SplittableRandom(11);
        payloads = new byte[PAYLOADS][settings.payloadBytes()];
        for (byte[] payload : payloads) {
            random.nextBytes(payload);
        }
    }

    @Override
    public void run() {
        try (connection) {
            connection.setAutoCommit(false);
            try (PreparedStatement messages = connection.prepareStatement(variant.insertMessages());
                    PreparedStatement deliveries = connection.prepareStatement(variant.insertDeliveries())) {
                long next = clock.start();
                long written = 0;
                while (clock.awaitUntil(next)) {
                    long now = System.nanoTime();
                    // Far behind: catch up in big commits, not in a burst of ticks.
                    next = Math.max(next + TICK, now - TICK);
                    long due = (long) (rate * (now - clock.start()) / 1e9) - written;
                    maxBacklog = Math.max(maxBacklog, due);
                    if (due <= 0) {
                        continue;
                    }
                    int count = (int) Math.min(due, MAX_BATCH);
                    long started = System.nanoTime();
                    commit(messages, deliveries, written, count);
                    commits.add(started, System.nanoTime() - started);
                    written += count;
                    committed.set(written);
                }
                behindAtEnd = Math.max(0, (long) (rate * (System.nanoTime() - clock.start()) / 1e9) - written);
            }
        } catch (SQLException | RuntimeException e) {
            clock.fail(e);
        }
    }

    private void commit(PreparedStatement messages, PreparedStatement deliveries, long written, int count)
            throws SQLException {
        Instant arrivedAt = Instant.now();
        String arrival = arrivedAt.toString();
        UUID[] messageIds = new UUID[count];
        String[] channels = new String[count];
        String[] contentTypes = new String[count];
        byte[][] bodies = new byte[count][];
        String[] arrivals = new String[count];
        int rows = count * destinations;
        String[] deliveryDestinations = new String[rows];
        Long[] sequences = new Long[rows];
        UUID[] deliveryMessages = new UUID[rows];
        String[] deliveryArrivals = new String[rows];
        for (int k = 0; k < count; k++) {
            messageIds[k] = ids.next(arrivedAt.toEpochMilli());
            channels[k] = "bench";
            contentTypes[k] = "application/octet-stream";
            bodies[k] = payloads[(int) ((written + k) % PAYLOADS)];
            arrivals[k] = arrival;
            for (int d = 0; d < destinations; d++) {
                int row = k * destinations + d;
                deliveryDestinations[row] = "d" + (d + 1);
                sequences[row] = written + k + 1;
                deliveryMessages[row] = messageIds[k];
                deliveryArrivals[row] = arrival;
            }
        }
        try {
            messages.setArray(1, connection.createArrayOf("uuid", messageIds));
            messages.setArray(2, connection.createArrayOf("text", channels));
            messages.setArray(3, connection.createArrayOf("text", contentTypes));
            messages.setArray(4, connection.createArrayOf("bytea", bodies));
            messages.setArray(5, connection.createArrayOf("text", arrivals));
            messages.executeUpdate();
            deliveries.setArray(1, connection.createArrayOf("text", deliveryDestinations));
            deliveries.setArray(2, connection.createArrayOf("int8", sequences));
            deliveries.setArray(3, connection.createArrayOf("uuid", deliveryMessages));
            if (variant.deliveryCarriesArrival()) {
                deliveries.setArray(4, connection.createArrayOf("text", deliveryArrivals));
            }
            deliveries.executeUpdate();
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        }
    }

    /** The commits; read only once this writer's thread has been joined. */
    OperationLog commits() {
        return commits;
    }

    /** The most messages that were due at once when a tick began; read after the join. */
    long maxBacklog() {
        return maxBacklog;
    }

    /** How many messages were due but not written when the run stopped; read after the join. */
    long behindAtEnd() {
        return behindAtEnd;
    }
}
