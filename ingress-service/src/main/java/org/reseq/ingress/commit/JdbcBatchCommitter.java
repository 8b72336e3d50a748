package org.reseq.ingress.commit;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Commits a batch in one PostgreSQL transaction: stores the messages, takes a sequence range per
 * destination (rows locked in name order, so concurrent committers cannot deadlock) and stores
 * one delivery per message and destination. Sequences are handed out in batch order.
 *
 * <p>Idempotency: a message whose key is already taken on its channel is not stored; its outcome
 * is the original's receipt. The unique index decides between concurrent committers
 * ({@code on conflict do nothing} waits for the other transaction), and repeats inside one batch
 * are folded onto their first occurrence before anything is written.
 */
public final class JdbcBatchCommitter implements BatchCommitter {

    private static final String ROUTES = """
            select c.name, cd.destination
              from channel c left join channel_destination cd on cd.channel = c.name
             where c.name = any (?)
             order by c.name, cd.position""";
    // One statement per batch and table, its rows passed as arrays: PostgreSQL runs its executor
    // once, not once per row (sent row by row, these inserts were 29 % of its statement time).
    // unnest yields the rows in array order, which is the order they are inserted in.
    private static final String INSERT_MESSAGES = """
            insert into message (id, channel, content_type, payload, arrived_at, idempotency_key)
            select * from unnest(?::uuid[], ?::text[], ?::text[], ?::bytea[], ?::timestamptz[], ?::text[])
            on conflict (channel, idempotency_key) where idempotency_key is not null do nothing
            returning id""";
    private static final String LOCK_SEQUENCES = """
            select destination from destination_sequence
             where destination = any (?) order by destination for update""";
    private static final String TAKE_SEQUENCES = """
            update destination_sequence s set last_sequence = s.last_sequence + t.taken
              from unnest(?::text[], ?::int[]) as t(destination, taken)
             where s.destination = t.destination
            returning s.destination, s.last_sequence""";
    private static final String INSERT_DELIVERIES = """
            insert into delivery (destination, sequence, message_id)
            select * from unnest(?::text[], ?::bigint[], ?::uuid[])""";

    private final DataSource dataSource;

    public JdbcBatchCommitter(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public CommittedBatch commit(List<PendingMessage> batch) throws SQLException, StoreUnreachableException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                CommittedBatch committed = commitIn(connection, batch);
                connection.commit();
                return committed;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection, e);
                throw e;
            }
        } catch (SQLException e) {
            if (JdbcFailures.unreachable(e)) {
                throw new StoreUnreachableException(e);
            }
            throw e;
        }
    }

    private CommittedBatch commitIn(Connection connection, List<PendingMessage> batch) throws SQLException {
        Map<String, List<String>> routes = routes(connection, batch);
        int size = batch.size();
        CommitOutcome[] outcomes = new CommitOutcome[size];
        int[] repeatOf = new int[size];
        Arrays.fill(repeatOf, -1);
        Map<List<String>, Integer> firstWithKey = new HashMap<>();
        List<Integer> candidates = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            PendingMessage message = batch.get(i);
            if (!routes.containsKey(message.channel())) {
                outcomes[i] = new CommitOutcome.UnknownChannel(message.channel());
            } else if (message.idempotencyKey() != null) {
                Integer first = firstWithKey.putIfAbsent(List.of(message.channel(), message.idempotencyKey()), i);
                if (first == null) {
                    candidates.add(i);
                } else {
                    repeatOf[i] = first;
                }
            } else {
                candidates.add(i);
            }
        }

        boolean[] stored = insertMessages(connection, batch, candidates);
        List<Integer> accepted = new ArrayList<>();
        for (int i : candidates) {
            if (stored[i]) {
                accepted.add(i);
            } else {
                PendingMessage message = batch.get(i);
                Receipt original = JdbcReceipts.find(connection, message.channel(), message.idempotencyKey())
                        .orElseThrow(() -> new IllegalStateException("Idempotency key conflict without a message"));
                outcomes[i] = new CommitOutcome.Replayed(original);
            }
        }

        Map<String, Long> lastSequences = assignSequences(connection, batch, accepted, routes, outcomes);
        for (int i = 0; i < size; i++) {
            if (repeatOf[i] >= 0) {
                outcomes[i] = new CommitOutcome.Replayed(receiptOf(outcomes[repeatOf[i]]));
            }
        }
        return new CommittedBatch(List.of(outcomes), lastSequences);
    }

    /** Channel name to its destinations in route order; channels that do not exist are absent. */
    private static Map<String, List<String>> routes(Connection connection, List<PendingMessage> batch)
            throws SQLException {
        Set<String> channels = new LinkedHashSet<>();
        for (PendingMessage message : batch) {
            channels.add(message.channel());
        }
        Map<String, List<String>> routes = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement(ROUTES)) {
            Array names = connection.createArrayOf("text", channels.toArray());
            select.setArray(1, names);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    List<String> destinations = routes.computeIfAbsent(rows.getString(1), name -> new ArrayList<>());
                    String destination = rows.getString(2);
                    if (destination != null) {
                        destinations.add(destination);
                    }
                }
            }
        }
        return routes;
    }

    /** Inserts the candidates; {@code result[i]} is false where the idempotency key was taken already. */
    private static boolean[] insertMessages(Connection connection, List<PendingMessage> batch, List<Integer> candidates)
            throws SQLException {
        boolean[] stored = new boolean[batch.size()];
        if (candidates.isEmpty()) {
            return stored;
        }
        // Keyed messages go in (channel, key) order, so two committers never wait on each other's keys in a cycle.
        List<Integer> order = new ArrayList<>(candidates);
        order.sort(Comparator.comparing((Integer i) -> batch.get(i).channel())
                .thenComparing(i -> batch.get(i).idempotencyKey() == null ? "" : batch.get(i).idempotencyKey())
                .thenComparing(Comparator.naturalOrder()));
        int rows = order.size();
        UUID[] ids = new UUID[rows];
        String[] channels = new String[rows];
        String[] contentTypes = new String[rows];
        byte[][] payloads = new byte[rows][];
        String[] arrivals = new String[rows];
        String[] keys = new String[rows];
        for (int k = 0; k < rows; k++) {
            PendingMessage message = batch.get(order.get(k));
            ids[k] = message.id();
            channels[k] = message.channel();
            contentTypes[k] = message.contentType();
            payloads[k] = message.payload();
            arrivals[k] = message.arrivedAt().toString();
            keys[k] = message.idempotencyKey();
        }
        Set<UUID> inserted = new HashSet<>();
        try (PreparedStatement insert = connection.prepareStatement(INSERT_MESSAGES)) {
            insert.setArray(1, connection.createArrayOf("uuid", ids));
            insert.setArray(2, connection.createArrayOf("text", channels));
            insert.setArray(3, connection.createArrayOf("text", contentTypes));
            insert.setArray(4, connection.createArrayOf("bytea", payloads));
            insert.setArray(5, connection.createArrayOf("text", arrivals));
            insert.setArray(6, connection.createArrayOf("text", keys));
            try (ResultSet returned = insert.executeQuery()) {
                while (returned.next()) {
                    inserted.add(returned.getObject(1, UUID.class));
                }
            }
        }
        for (int k = 0; k < rows; k++) {
            stored[order.get(k)] = inserted.contains(ids[k]);
        }
        return stored;
    }

    /**
     * Takes one sequence range per destination (in name order), gives each accepted message the
     * next sequence of each of its destinations in batch order, and stores the deliveries.
     */
    private static Map<String, Long> assignSequences(Connection connection, List<PendingMessage> batch,
            List<Integer> accepted, Map<String, List<String>> routes, CommitOutcome[] outcomes) throws SQLException {
        Map<String, Integer> counts = new TreeMap<>();
        for (int i : accepted) {
            for (String destination : routes.get(batch.get(i).channel())) {
                counts.merge(destination, 1, Integer::sum);
            }
        }
        Map<String, Long> lastSequences = takeSequences(connection, counts);
        Map<String, Long> next = new HashMap<>();
        for (Map.Entry<String, Integer> count : counts.entrySet()) {
            next.put(count.getKey(), lastSequences.get(count.getKey()) - count.getValue() + 1);
        }
        if (accepted.isEmpty()) {
            return lastSequences;
        }
        List<String> destinations = new ArrayList<>();
        List<Long> sequences = new ArrayList<>();
        List<UUID> messageIds = new ArrayList<>();
        for (int i : accepted) {
            PendingMessage message = batch.get(i);
            List<Receipt.Delivery> deliveries = new ArrayList<>();
            for (String destination : routes.get(message.channel())) {
                long sequence = next.merge(destination, 1L, Long::sum) - 1;
                deliveries.add(new Receipt.Delivery(destination, sequence));
                destinations.add(destination);
                sequences.add(sequence);
                messageIds.add(message.id());
            }
            outcomes[i] = new CommitOutcome.Accepted(new Receipt(message.id(), message.channel(), deliveries));
        }
        if (!destinations.isEmpty()) {
            try (PreparedStatement insert = connection.prepareStatement(INSERT_DELIVERIES)) {
                insert.setArray(1, connection.createArrayOf("text", destinations.toArray(String[]::new)));
                insert.setArray(2, connection.createArrayOf("int8", sequences.toArray(Long[]::new)));
                insert.setArray(3, connection.createArrayOf("uuid", messageIds.toArray(UUID[]::new)));
                insert.executeUpdate();
            }
        }
        return lastSequences;
    }

    /**
     * Adds {@code counts} to the destinations' last sequences in one statement, and returns the new
     * last sequence of each, in name order. Two destinations or more are locked first, in name
     * order, so that concurrent committers (several ingress instances) never wait on each other in
     * a cycle; the update alone would lock them in whatever order its plan visits them.
     */
    private static Map<String, Long> takeSequences(Connection connection, Map<String, Integer> counts)
            throws SQLException {
        Map<String, Long> lastSequences = new LinkedHashMap<>();
        if (counts.isEmpty()) {
            return lastSequences;
        }
        String[] destinations = counts.keySet().toArray(String[]::new);
        Array names = connection.createArrayOf("text", destinations);
        if (destinations.length > 1) {
            try (PreparedStatement lock = connection.prepareStatement(LOCK_SEQUENCES)) {
                lock.setArray(1, names);
                lock.executeQuery().close();
            }
        }
        Map<String, Long> taken = new HashMap<>();
        try (PreparedStatement update = connection.prepareStatement(TAKE_SEQUENCES)) {
            update.setArray(1, names);
            update.setArray(2, connection.createArrayOf("int4", counts.values().toArray()));
            try (ResultSet rows = update.executeQuery()) {
                while (rows.next()) {
                    taken.put(rows.getString(1), rows.getLong(2));
                }
            }
        }
        for (String destination : destinations) {
            Long last = taken.get(destination);
            if (last == null) {
                throw new IllegalStateException("No sequence row for destination " + destination);
            }
            lastSequences.put(destination, last);
        }
        return lastSequences;
    }

    private static Receipt receiptOf(CommitOutcome outcome) {
        return switch (outcome) {
            case CommitOutcome.Accepted accepted -> accepted.receipt();
            case CommitOutcome.Replayed replayed -> replayed.original();
            case CommitOutcome.UnknownChannel unknown ->
                    throw new IllegalStateException("A repeat of a message to unknown channel " + unknown.channel());
        };
    }

    private static void rollbackQuietly(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
