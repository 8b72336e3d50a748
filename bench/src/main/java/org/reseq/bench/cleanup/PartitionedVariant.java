package org.reseq.bench.cleanup;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * reseq's tables partitioned by range on the arrival time, and a retention that drops whole
 * partitions: every run creates the partitions the {@link PartitionPlan} wants (the current one and
 * {@link CleanupSettings#PARTITIONS_AHEAD} more), then, oldest first, detaches with
 * {@code DETACH PARTITION ... CONCURRENTLY} and drops every partition whose upper bound is at or
 * before {@code now - retention}: the delivery partition first (it references the message one),
 * then the message partition. Nothing is deleted row by row, so nothing is left for vacuum.
 *
 * <p>What the schema had to change, since every unique constraint of a partitioned table must
 * contain the partition key:
 * <ul>
 *   <li>{@code message}'s primary key is {@code (id, arrived_at)}, not {@code (id)};</li>
 *   <li>{@code delivery} gets the message's {@code arrived_at}, its primary key becomes
 *       {@code (destination, sequence, arrived_at)} (the database no longer keeps a sequence unique
 *       per destination) and its foreign key to {@code message} is {@code (message_id, arrived_at)};</li>
 *   <li>{@code message_idempotency} becomes {@code (channel, idempotency_key, arrived_at)}: it no
 *       longer makes a key unique per channel, so ingress's {@code on conflict} could not rely on it;</li>
 *   <li>the egress read joins on {@code (id, arrived_at)}, so that each delivery finds its message in
 *       one partition, and probes the {@code (destination, sequence)} index of every partition.</li>
 * </ul>
 *
 * <p>Two flavours. {@code partitioned} keeps reseq's foreign keys (delivery to message and to
 * destination), which costs locks on the other tables: a partition cannot be created, nor a
 * detached delivery partition dropped, without locking them too (see {@link #createMissing} and
 * {@link #detachAndDrop} for the locks and the order they must be taken in), and detaching a
 * message partition checks, under a lock that stops the writer's delivery inserts, that no
 * delivery references any of its rows: a check that grows with the partition.
 * {@code partitioned-nofk} has no foreign key on delivery (integrity is then the writer's own: it
 * stores a message and its deliveries in one transaction), so none of that.
 *
 * <p>{@code DETACH ... CONCURRENTLY} cannot run in a transaction block: {@link #clean} needs its
 * connection in auto-commit mode, and leaves it so.
 */
final class PartitionedVariant implements Variant {

    private static final Logger log = LoggerFactory.getLogger(PartitionedVariant.class);

    private final Duration retention;
    private final PartitionPlan plan;
    private final boolean foreignKeys;

    /** @param foreignKeys whether delivery references message and destination, as in reseq */
    PartitionedVariant(Duration retention, Duration width, boolean foreignKeys) {
        this.retention = retention;
        this.plan = new PartitionPlan(width, CleanupSettings.PARTITIONS_AHEAD);
        this.foreignKeys = foreignKeys;
    }

    @Override
    public String name() {
        return foreignKeys ? "partitioned" : "partitioned-nofk";
    }

    @Override
    public void create(Connection connection, int destinations, Instant now) throws SQLException {
        Variant.createDestinations(connection, destinations);
        Variant.execute(connection, """
                create table message (
                    id              uuid        not null,
                    channel         text        not null,
                    content_type    text        not null,
                    headers         jsonb       not null default '{}',
                    payload         bytea       not null,
                    arrived_at      timestamptz not null,
                    idempotency_key text,
                    primary key (id, arrived_at)
                ) partition by range (arrived_at)""", """
                create unique index message_idempotency on message (channel, idempotency_key, arrived_at)
                    where idempotency_key is not null""", """
                create table delivery (
                    destination text        not null%s,
                    sequence    bigint      not null,
                    message_id  uuid        not null,
                    arrived_at  timestamptz not null,
                    primary key (destination, sequence, arrived_at)%s
                ) partition by range (arrived_at)""".formatted(
                        foreignKeys ? " references destination (name) on delete cascade" : "",
                        foreignKeys ? ", foreign key (message_id, arrived_at) references message (id, arrived_at)"
                                : ""),
                "create index delivery_by_message on delivery (message_id)");
        createMissing(connection, now);
    }

    @Override
    public String insertDeliveries() {
        return """
                insert into delivery (destination, sequence, message_id, arrived_at)
                select * from unnest(?::text[], ?::bigint[], ?::uuid[], ?::timestamptz[])""";
    }

    @Override
    public boolean deliveryCarriesArrival() {
        return true;
    }

    @Override
    public String readRange() {
        return """
                select d.sequence, m.id, m.content_type, m.payload
                  from delivery d
                  join message m on m.id = d.message_id and m.arrived_at = d.arrived_at
                 where d.destination = ? and d.sequence > ? and d.sequence <= ?
                 order by d.sequence""";
    }

    @Override
    public CleanupPass clean(Connection connection, Instant now) throws SQLException {
        finalizePendingDetaches(connection);
        int created = createMissing(connection, now);
        List<Partition> messages = partitions(connection, "message");
        List<Partition> deliveries = partitions(connection, "delivery");
        TreeSet<Partition> all = new TreeSet<>(messages);
        all.addAll(deliveries);
        long messagesGone = 0;
        long deliveriesGone = 0;
        int dropped = 0;
        for (Partition due : PartitionPlan.dueToDrop(now.minus(retention), all)) {
            // Deliveries first: the message partition cannot go while rows reference it.
            if (deliveries.contains(due)) {
                deliveriesGone += detachAndDrop(connection, "delivery", due);
                dropped++;
            }
            if (messages.contains(due)) {
                messagesGone += detachAndDrop(connection, "message", due);
                dropped++;
            }
        }
        return new CleanupPass(messagesGone, deliveriesGone, dropped, created);
    }

    /**
     * Creates the partitions of both tables that the plan wants and that are not there yet: each
     * as a table of its own, then attached to its parent (which takes a lighter lock on the parent
     * than {@code create table ... partition of}, one that does not stop readers).
     *
     * <p>Attaching clones the foreign keys, which locks the other table as well: a delivery
     * partition's locks {@code message}, a message partition's locks {@code delivery}. The writer
     * locks message, then delivery; attaching in another order deadlocks with it (creating a
     * delivery partition while a commit had inserted its messages but not yet its deliveries did,
     * at the first try). So the transaction first takes both, in the writer's order, in a mode
     * that stops writers (only) for as long as it lasts. Without foreign keys, attaching locks
     * only the parent, in a mode that stops neither writers nor readers.
     */
    private int createMissing(Connection connection, Instant now) throws SQLException {
        List<Partition> messages = plan.missing(now, partitions(connection, "message"));
        List<Partition> deliveries = plan.missing(now, partitions(connection, "delivery"));
        TreeSet<Partition> missing = new TreeSet<>(messages);
        missing.addAll(deliveries);
        int created = 0;
        for (Partition partition : missing) {
            List<String> parents = new ArrayList<>();
            if (messages.contains(partition)) {
                parents.add("message");
            }
            if (deliveries.contains(partition)) {
                parents.add("delivery");
            }
            for (String parent : parents) {
                Variant.execute(connection, "create table if not exists " + partition.name(parent) + " (like " + parent
                        + " including defaults)");
            }
            long start = System.nanoTime();
            inTransaction(connection, () -> {
                if (foreignKeys) {
                    Variant.execute(connection, "lock table message, delivery in share row exclusive mode");
                }
                for (String parent : parents) {
                    Variant.execute(connection, "alter table " + parent + " attach partition " + partition.name(parent)
                            + " for values from ('" + partition.lower() + "') to ('" + partition.upper() + "')");
                }
            });
            log.info("Attached {} for {}: {} ms", parents, partition.lower(), (System.nanoTime() - start) / 1_000_000);
            created += parents.size();
        }
        return created;
    }

    /**
     * Detaches the partition without blocking the writer or the reader ({@code CONCURRENTLY}:
     * two transactions, the second waiting for every transaction that was using the parent), then
     * drops it.
     *
     * <p>Dropping a detached delivery partition drops the triggers that its foreign keys, now its
     * own, had put on {@code message} (and each of its partitions) and on {@code destination}: it
     * takes an {@code ACCESS EXCLUSIVE} lock on those, which stops the writer and the reader until
     * it commits. They are taken first, in the writer's order (message, then destination, which
     * the writer's foreign key check locks after its inserts), lest the drop deadlock with a commit.
     *
     * @return the live tuples the partition held just before, as the statistics have them
     */
    private long detachAndDrop(Connection connection, String parent, Partition partition) throws SQLException {
        String name = partition.name(parent);
        long rows = liveTuples(connection, name);
        long start = System.nanoTime();
        Variant.execute(connection, "alter table " + parent + " detach partition " + name + " concurrently");
        long detached = System.nanoTime();
        inTransaction(connection, () -> {
            if (foreignKeys && parent.equals("delivery")) {
                Variant.execute(connection, "lock table message in access exclusive mode",
                        "lock table destination in access exclusive mode");
            }
            Variant.execute(connection, "drop table " + name);
        });
        log.info("Dropped {} ({} rows): detach {} ms, drop {} ms", name, rows, (detached - start) / 1_000_000,
                (System.nanoTime() - detached) / 1_000_000);
        return rows;
    }

    /** Statements that must commit together. */
    @FunctionalInterface
    private interface Work {
        void run() throws SQLException;
    }

    private static void inTransaction(Connection connection, Work work) throws SQLException {
        connection.setAutoCommit(false);
        try {
            work.run();
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    /**
     * Completes a detach that an earlier run began but did not finish (its connection was lost
     * between the two transactions of {@code CONCURRENTLY}): such a partition stays attached, and
     * no other partition of its parent can be detached until it is finalized.
     */
    private static void finalizePendingDetaches(Connection connection) throws SQLException {
        List<String[]> pending = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("""
                select p.relname, c.relname from pg_inherits i
                  join pg_class c on c.oid = i.inhrelid join pg_class p on p.oid = i.inhparent
                 where i.inhdetachpending""");
                ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                pending.add(new String[] {rows.getString(1), rows.getString(2)});
            }
        }
        for (String[] parentAndChild : pending) {
            log.warn("Finalizing the detach of {}", parentAndChild[1]);
            Variant.execute(connection, "alter table " + parentAndChild[0] + " detach partition " + parentAndChild[1]
                    + " finalize");
        }
    }

    /** The partitions {@code parent} has now, by their names. */
    private List<Partition> partitions(Connection connection, String parent) throws SQLException {
        List<Partition> partitions = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("""
                select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid
                 where i.inhparent = ?::regclass""")) {
            select.setString(1, parent);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    Optional<Partition> partition = Partition.parse(parent, rows.getString(1), plan.width());
                    partition.ifPresent(partitions::add);
                }
            }
        }
        return partitions;
    }

    private static long liveTuples(Connection connection, String table) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "select coalesce(n_live_tup, 0) from pg_stat_user_tables where relid = ?::regclass")) {
            select.setString(1, table);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? row.getLong(1) : 0;
            }
        }
    }
}
