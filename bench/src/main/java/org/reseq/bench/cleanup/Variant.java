package org.reseq.bench.cleanup;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;

/**
 * One way of storing reseq's messages and deliveries and of removing them after their retention:
 * the tables it creates, the statements the writer and the reader use on them, and one cleaner
 * run. Implementations hold no connection: every method runs on the connection it is given, on
 * the thread that owns it.
 */
sealed interface Variant permits BatchedVariant, PartitionedVariant {

    /** The message and delivery tables (partitioned parents included): what is measured. */
    List<String> TABLES = List.of("message", "delivery");

    String name();

    /** Creates the tables, empty, and the destinations {@code d1 .. dN}. */
    void create(Connection connection, int destinations, Instant now) throws SQLException;

    /**
     * Insert statement for the messages of one commit: arrays of ids, channels, content types,
     * payloads and arrival times (as text).
     */
    default String insertMessages() {
        return """
                insert into message (id, channel, content_type, payload, arrived_at)
                select * from unnest(?::uuid[], ?::text[], ?::text[], ?::bytea[], ?::timestamptz[])""";
    }

    /**
     * Insert statement for the deliveries of one commit: arrays of destinations, sequences and
     * message ids, and, when {@link #deliveryCarriesArrival()}, the messages' arrival times.
     */
    String insertDeliveries();

    /** Whether a delivery row carries its message's arrival time. */
    boolean deliveryCarriesArrival();

    /** The egress read: a destination's deliveries in {@code (after, upTo]} with their messages. */
    String readRange();

    /** One cleaner run at {@code now}: removes what is older than {@code now - retention}. */
    CleanupPass clean(Connection connection, Instant now) throws SQLException;

    /** Drops the tables. */
    default void drop(Connection connection) throws SQLException {
        execute(connection, "drop table if exists delivery, message, destination cascade");
    }

    /** The destination table every delivery references, as in reseq, with {@code d1 .. dN}. */
    static void createDestinations(Connection connection, int destinations) throws SQLException {
        execute(connection, """
                create table destination (
                    id         serial primary key,
                    name       text        not null unique,
                    config     jsonb       not null default '{}',
                    paused     boolean     not null default false,
                    created_at timestamptz not null default now(),
                    updated_at timestamptz not null default now())""");
        execute(connection, "insert into destination (name) select 'd' || n from generate_series(1, "
                + destinations + ") n");
    }

    static void execute(Connection connection, String... statements) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }
}
