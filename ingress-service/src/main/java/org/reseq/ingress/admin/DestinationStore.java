package org.reseq.ingress.admin;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.reseq.model.redis.Incarnation;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/** Destinations in PostgreSQL: their configuration, pause flag, sequence and cursors. */
@Component
class DestinationStore {

    private static final String ROWS = """
            select d.id, d.name, d.config::text as config, d.paused, s.last_sequence,
                   coalesce(r.position, 0) as released, coalesce(e.position, 0) as delivered,
                   m.arrived_at as head_arrived_at, u.arrived_at as undelivered_arrived_at
              from destination d
              join destination_sequence s on s.destination = d.name
              left join destination_cursor r on r.destination = d.name and r.role = 'RESEQUENCER'
              left join destination_cursor e on e.destination = d.name and e.role = 'EGRESS'
              left join delivery h on h.destination = d.name and h.sequence = coalesce(r.position, 0) + 1
              left join message m on m.id = h.message_id
              left join delivery o on o.destination = d.name and o.sequence = coalesce(e.position, 0) + 1
              left join message u on u.id = o.message_id
            """;

    /**
     * A destination with what its status is computed from.
     *
     * @param headArrivedAt arrival of the message at released + 1, null when there is none
     * @param oldestUndeliveredArrivedAt arrival of the message at delivered + 1, null when there is none
     */
    record Row(int id, String name, String configJson, boolean paused, long lastSequence, long released, long delivered,
            Instant headArrivedAt, Instant oldestUndeliveredArrivedAt) {

        /** The incarnation this row is: its id names the destination's Redis keys. */
        Incarnation incarnation() {
            return new Incarnation(name, id);
        }
    }

    /** The outcome of a delete. */
    enum Outcome { DELETED, MISSING, ROUTED, UNDELIVERED }

    /**
     * What a delete did or found.
     *
     * @param incarnation the incarnation deleted ({@code DELETED} only)
     * @param undelivered acknowledged messages not yet delivered (dropped when {@code DELETED})
     * @param delivered the egress cursor: the last sequence delivered (or skipped)
     * @param lastSequence the last sequence assigned
     */
    record Deletion(Outcome outcome, Incarnation incarnation, long undelivered, long delivered, long lastSequence) {

        static Deletion of(Outcome outcome) {
            return new Deletion(outcome, null, 0, 0, 0);
        }
    }

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;

    DestinationStore(JdbcClient jdbc, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    /**
     * Creates the destination with its sequence and both cursors, or replaces its configuration.
     *
     * @return true when it was created
     */
    boolean upsert(String name, String configJson) {
        for (int attempt = 0; ; attempt++) {
            Boolean created = transactions.execute(status -> {
                int inserted = jdbc.sql("""
                                insert into destination (name, config) values (:name, cast(:config as jsonb))
                                on conflict (name) do nothing""")
                        .param("name", name).param("config", configJson).update();
                if (inserted == 1) {
                    // A name used before continues where its last incarnation stopped (V6).
                    jdbc.sql("""
                                    insert into destination_sequence (destination, last_sequence)
                                    select :name, coalesce(max(last_sequence), 0)
                                      from retired_destination where name = :name""")
                            .param("name", name).update();
                    jdbc.sql("""
                                    insert into destination_cursor (destination, role, position, epoch)
                                    select :name, r.role, coalesce(t.last_sequence, 0), coalesce(t.last_epoch, 0)
                                      from (values ('RESEQUENCER'), ('EGRESS')) as r (role)
                                      left join retired_destination t on t.name = :name""")
                            .param("name", name).update();
                    return true;
                }
                int updated = jdbc.sql("""
                                update destination set config = cast(:config as jsonb), updated_at = now()
                                 where name = :name""")
                        .param("name", name).param("config", configJson).update();
                return updated == 1 ? Boolean.FALSE : null;
            });
            if (created != null) {
                return created;
            }
            if (attempt >= 2) {
                // Deleted and re-created around us three times in a row: give up loudly.
                throw new IllegalStateException("Destination " + name + " keeps changing concurrently");
            }
        }
    }

    List<Row> all() {
        return jdbc.sql(ROWS + " order by d.name").query(DestinationStore::row).list();
    }

    Optional<Row> find(String name) {
        return jdbc.sql(ROWS + " where d.name = :name").param("name", name).query(DestinationStore::row).optional();
    }

    /** The destination's current incarnation, empty when there is no such destination. */
    Optional<Incarnation> incarnation(String name) {
        return jdbc.sql("select id from destination where name = :name").param("name", name).query(Integer.class)
                .optional().map(id -> new Incarnation(name, id));
    }

    /** The channels that route to the destination, in name order. */
    List<String> channelsRoutingTo(String name) {
        return jdbc.sql("select channel from channel_destination where destination = :name order by channel")
                .param("name", name).query(String.class).list();
    }

    /**
     * Deletes the destination with its sequence, deliveries and cursors, unless a channel routes
     * to it, or it has undelivered messages and {@code force} is false. Where its sequences and
     * epochs got to is kept in {@code retired_destination}, for a destination created again
     * under the name to continue after them.
     */
    Deletion delete(String name, boolean force) {
        return transactions.execute(status -> {
            // The sequence row first, as the group commit takes it before it inserts deliveries
            // (which lock the destination row): one lock order, no deadlock. It also keeps the
            // count of undelivered messages true until the delete commits.
            Optional<Long> last = jdbc.sql(
                            "select last_sequence from destination_sequence where destination = :name for update")
                    .param("name", name).query(Long.class).optional();
            // Locking the destination row serializes against a channel adding a route to it meanwhile.
            Optional<Integer> locked = jdbc.sql("select id from destination where name = :name for update")
                    .param("name", name).query(Integer.class).optional();
            if (locked.isEmpty() || last.isEmpty()) {
                return Deletion.of(Outcome.MISSING);
            }
            if (!channelsRoutingTo(name).isEmpty()) {
                return Deletion.of(Outcome.ROUTED);
            }
            long delivered = jdbc.sql("""
                            select coalesce(max(position), 0) from destination_cursor
                             where destination = :name and role = 'EGRESS'""")
                    .param("name", name).query(Long.class).single();
            long undelivered = Math.max(0, last.get() - delivered);
            if (undelivered > 0 && !force) {
                return new Deletion(Outcome.UNDELIVERED, null, undelivered, delivered, last.get());
            }
            jdbc.sql("""
                            insert into retired_destination (name, last_sequence, last_epoch)
                            select :name, :last, coalesce(max(epoch), 0) from destination_cursor where destination = :name
                            on conflict (name) do update
                               set last_sequence = greatest(retired_destination.last_sequence, excluded.last_sequence),
                                   last_epoch = greatest(retired_destination.last_epoch, excluded.last_epoch),
                                   retired_at = now()""")
                    .param("name", name).param("last", last.get()).update();
            jdbc.sql("delete from destination where name = :name").param("name", name).update();
            return new Deletion(Outcome.DELETED, new Incarnation(name, locked.get()), undelivered, delivered,
                    last.get());
        });
    }

    /** @return false when there is no such destination */
    boolean setPaused(String name, boolean paused) {
        return jdbc.sql("update destination set paused = :paused, updated_at = now() where name = :name")
                .param("paused", paused).param("name", name).update() == 1;
    }

    private static Row row(ResultSet rows, int number) throws SQLException {
        Timestamp head = rows.getTimestamp("head_arrived_at");
        Timestamp undelivered = rows.getTimestamp("undelivered_arrived_at");
        return new Row(rows.getInt("id"), rows.getString("name"), rows.getString("config"), rows.getBoolean("paused"),
                rows.getLong("last_sequence"), rows.getLong("released"), rows.getLong("delivered"),
                head == null ? null : head.toInstant(), undelivered == null ? null : undelivered.toInstant());
    }
}
