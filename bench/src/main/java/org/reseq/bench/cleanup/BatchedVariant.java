package org.reseq.bench.cleanup;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * reseq's tables as they are (V1, V2) and reseq's retention as it is: every run removes the
 * messages older than the cutoff in transactions of at most {@value #BATCH}, each selecting the
 * oldest ids with {@code for update skip locked}, deleting their deliveries, then the messages,
 * until a batch removes fewer. The rows become dead tuples that (auto)vacuum must reclaim.
 *
 * <p>Unlike reseq's job it does not check that every delivery of a message was delivered: the
 * benchmark's reader keeps up, and the partitioned variant cannot check it row by row either.
 *
 * <p>Two flavours: {@code batched} leaves the dead tuples to the server's autovacuum, as reseq
 * does (whatever the server's is: off on a CI server); {@code batched-vacuum} runs a plain
 * {@code VACUUM} of both tables at the end of every cleaner run, counted in the run, which stands
 * for an autovacuum that keeps up.
 */
final class BatchedVariant implements Variant {

    static final int BATCH = 1000;

    private final Duration retention;
    private final boolean vacuum;

    /** @param vacuum whether each cleaner run ends with a {@code VACUUM} of both tables */
    BatchedVariant(Duration retention, boolean vacuum) {
        this.retention = retention;
        this.vacuum = vacuum;
    }

    @Override
    public String name() {
        return vacuum ? "batched-vacuum" : "batched";
    }

    @Override
    public void create(Connection connection, int destinations, Instant now) throws SQLException {
        Variant.createDestinations(connection, destinations);
        Variant.execute(connection, """
                create table message (
                    id              uuid        primary key,
                    channel         text        not null,
                    content_type    text        not null,
                    headers         jsonb       not null default '{}',
                    payload         bytea       not null,
                    arrived_at      timestamptz not null,
                    idempotency_key text)""", """
                create unique index message_idempotency on message (channel, idempotency_key)
                    where idempotency_key is not null""", """
                create table delivery (
                    destination text   not null references destination (name) on delete cascade,
                    sequence    bigint not null,
                    message_id  uuid   not null references message (id),
                    primary key (destination, sequence))""",
                "create index delivery_by_message on delivery (message_id)");
    }

    @Override
    public String insertDeliveries() {
        return """
                insert into delivery (destination, sequence, message_id)
                select * from unnest(?::text[], ?::bigint[], ?::uuid[])""";
    }

    @Override
    public boolean deliveryCarriesArrival() {
        return false;
    }

    @Override
    public String readRange() {
        return """
                select d.sequence, m.id, m.content_type, m.payload
                  from delivery d
                  join message m on m.id = d.message_id
                 where d.destination = ? and d.sequence > ? and d.sequence <= ?
                 order by d.sequence""";
    }

    @Override
    public CleanupPass clean(Connection connection, Instant now) throws SQLException {
        Instant cutoff = now.minus(retention);
        // Message ids are UUIDv7: every message that arrived before the cutoff has a lower id.
        UUID bound = new UUID(Math.max(0, cutoff.toEpochMilli()) << 16, 0);
        CleanupPass total = CleanupPass.NOTHING;
        connection.setAutoCommit(false);
        try {
            while (true) {
                CleanupPass batch = removeBatch(connection, bound, cutoff);
                connection.commit();
                total = total.plus(batch);
                if (batch.messages() < BATCH) {
                    break;
                }
            }
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
        if (vacuum) {
            // This backend's counts of the rows it just deleted reach the statistics only when it
            // flushes them (at most once a second): flushed after the VACUUM, they would count as
            // dead the tuples it has just removed. So flush them first.
            Variant.execute(connection, "select pg_stat_force_next_flush()");
            // Not in a transaction block: the connection is back in auto-commit mode.
            Variant.execute(connection, "vacuum message, delivery");
        }
        return total;
    }

    private static CleanupPass removeBatch(Connection connection, UUID bound, Instant cutoff) throws SQLException {
        List<UUID> expired = new ArrayList<>(BATCH);
        try (PreparedStatement select = connection.prepareStatement("""
                select id from message
                 where id < ? and arrived_at < ?
                 order by id
                 limit ?
                   for update skip locked""")) {
            select.setObject(1, bound);
            select.setObject(2, OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC));
            select.setInt(3, BATCH);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    expired.add(rows.getObject(1, UUID.class));
                }
            }
        }
        if (expired.isEmpty()) {
            return CleanupPass.NOTHING;
        }
        Array ids = connection.createArrayOf("uuid", expired.toArray());
        long deliveries;
        try (PreparedStatement delete = connection.prepareStatement("delete from delivery where message_id = any(?)")) {
            delete.setArray(1, ids);
            deliveries = delete.executeLargeUpdate();
        }
        long messages;
        try (PreparedStatement delete = connection.prepareStatement("delete from message where id = any(?)")) {
            delete.setArray(1, ids);
            messages = delete.executeLargeUpdate();
        }
        return new CleanupPass(messages, deliveries, 0, 0);
    }
}
