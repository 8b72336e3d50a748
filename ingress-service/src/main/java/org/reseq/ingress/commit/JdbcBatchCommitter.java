package org.reseq.ingress.commit;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.reseq.model.headers.StoredHeaders;

/**
 * Commits a batch in one PostgreSQL transaction: stores the messages, takes a sequence range per
 * destination (rows locked in name order, so concurrent committers cannot deadlock) and stores
 * one delivery per message and destination. What to store and which sequences to hand out is
 * decided by a {@link BatchPlan}; this class only asks PostgreSQL what the plan needs.
 *
 * <p>Idempotency: keys are claimed first, in table {@code idempotency_key}; a message whose key is
 * already taken on its channel is not stored, and is answered by the holder of the key, a replay
 * of its receipt or a refusal. The key's primary key decides between concurrent committers
 * ({@code on conflict do nothing} waits for the other transaction); within one batch the plan
 * folds messages with one key onto the first of them before anything is written.
 */
public final class JdbcBatchCommitter implements BatchCommitter {

    private static final String ROUTES = """
            select c.name, cd.destination, c.keep_headers
              from channel c left join channel_destination cd on cd.channel = c.name
             where c.name = any (?)
             order by c.name, cd.position""";
    // One statement per batch and table, its rows passed as arrays: PostgreSQL runs its executor
    // once, not once per row (sent row by row, these inserts were 29 % of its statement time).
    // unnest yields the rows in array order, which is the order they are inserted in.
    private static final String CLAIM_KEYS = """
            insert into idempotency_key (channel, key, message_id, arrived_at)
            select * from unnest(?::text[], ?::text[], ?::uuid[], ?::timestamptz[])
            on conflict do nothing
            returning message_id""";
    // Headers go as text and become jsonb here: there is no jsonb array parameter to bind.
    private static final String INSERT_MESSAGES = """
            insert into message (id, channel, content_type, payload, arrived_at, headers, traceparent)
            select id, channel, content_type, payload, arrived_at, headers::jsonb, traceparent
              from unnest(?::uuid[], ?::text[], ?::text[], ?::bytea[], ?::timestamptz[], ?::text[], ?::text[])
                   as m (id, channel, content_type, payload, arrived_at, headers, traceparent)""";
    private static final String INSERT_DELIVERIES = """
            insert into delivery (destination, sequence, message_id)
            select * from unnest(?::text[], ?::bigint[], ?::uuid[])""";

    private final DataSource dataSource;

    public JdbcBatchCommitter(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public CommittedBatch commit(List<PendingMessage> batch) throws SQLException, StoreUnreachableException {
        try {
            return commit(batch, false);
        } catch (BatchRefusedException e) {
            throw new IllegalStateException("A batch committed in part is never refused", e);
        }
    }

    @Override
    public CommittedBatch commitWhole(List<PendingMessage> batch)
            throws SQLException, StoreUnreachableException, BatchRefusedException {
        return commit(batch, true);
    }

    private CommittedBatch commit(List<PendingMessage> batch, boolean whole)
            throws SQLException, StoreUnreachableException, BatchRefusedException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                CommittedBatch committed = commitIn(connection, batch);
                if (whole) {
                    refuseUnlessWhole(committed);
                }
                connection.commit();
                return committed;
            } catch (SQLException | RuntimeException | BatchRefusedException e) {
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
        Channels channels = channels(connection, batch);
        BatchPlan plan = BatchPlan.fold(batch, channels.routes(), channels.keepHeaders());
        Set<UUID> inserted = insertMessages(connection, plan);
        Map<UUID, KeyHolder> holders = JdbcReceipts.holdersOfTakenKeys(connection, plan.candidates(), inserted);
        Map<String, Long> lastSequences = JdbcSequenceCounters.take(connection, plan.sequencesNeeded(inserted));
        BatchPlan.Planned planned = plan.complete(inserted, holders, lastSequences);
        insertDeliveries(connection, planned.deliveries());
        return new CommittedBatch(planned.outcomes(), lastSequences);
    }

    /** Throws for the first message that was neither stored nor a repeat, before anything commits. */
    private static void refuseUnlessWhole(CommittedBatch committed) throws BatchRefusedException {
        List<CommitOutcome> outcomes = committed.outcomes();
        for (int i = 0; i < outcomes.size(); i++) {
            if (!(outcomes.get(i) instanceof CommitOutcome.Accepted || outcomes.get(i) instanceof CommitOutcome.Replayed)) {
                throw new BatchRefusedException(i, outcomes.get(i));
            }
        }
    }

    /**
     * @param routes channel name to its destinations in route order; channels that do not exist are absent
     * @param keepHeaders channel name to the header names it keeps, in its order
     */
    private record Channels(Map<String, List<String>> routes, Map<String, List<String>> keepHeaders) {
    }

    private static Channels channels(Connection connection, List<PendingMessage> batch) throws SQLException {
        Set<String> channels = new LinkedHashSet<>();
        for (PendingMessage message : batch) {
            channels.add(message.channel());
        }
        Map<String, List<String>> routes = new HashMap<>();
        Map<String, List<String>> keepHeaders = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement(ROUTES)) {
            Array names = connection.createArrayOf("text", channels.toArray());
            select.setArray(1, names);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    String channel = rows.getString(1);
                    List<String> destinations = routes.computeIfAbsent(channel, name -> new ArrayList<>());
                    String destination = rows.getString(2);
                    if (destination != null) {
                        destinations.add(destination);
                    }
                    if (!keepHeaders.containsKey(channel)) {
                        Array keep = rows.getArray(3);
                        keepHeaders.put(channel, keep == null ? List.of() : List.of((String[]) keep.getArray()));
                    }
                }
            }
        }
        return new Channels(routes, keepHeaders);
    }

    /**
     * Claims the candidates' keys, then inserts the candidates without a key and those whose key
     * this batch claimed, with the headers their channels keep.
     *
     * @return the ids of the messages inserted: the others' keys were taken already
     */
    private static Set<UUID> insertMessages(Connection connection, BatchPlan plan) throws SQLException {
        List<PendingMessage> candidates = plan.candidates();
        Set<UUID> inserted = claimKeys(connection, candidates);
        List<PendingMessage> stored = new ArrayList<>();
        for (PendingMessage message : candidates) {
            if (message.idempotencyKey() == null) {
                inserted.add(message.id());
            }
            if (inserted.contains(message.id())) {
                stored.add(message);
            }
        }
        if (stored.isEmpty()) {
            return inserted;
        }
        int rows = stored.size();
        UUID[] ids = new UUID[rows];
        String[] channels = new String[rows];
        String[] contentTypes = new String[rows];
        byte[][] payloads = new byte[rows][];
        String[] arrivals = new String[rows];
        String[] headers = new String[rows];
        String[] traceparents = new String[rows];
        for (int k = 0; k < rows; k++) {
            PendingMessage message = stored.get(k);
            ids[k] = message.id();
            channels[k] = message.channel();
            contentTypes[k] = message.contentType();
            payloads[k] = message.payload();
            arrivals[k] = message.arrivedAt().toString();
            headers[k] = StoredHeaders.write(plan.keptHeaders(message));
            traceparents[k] = message.traceparent() == null ? null : message.traceparent().toString();
        }
        try (PreparedStatement insert = connection.prepareStatement(INSERT_MESSAGES)) {
            insert.setArray(1, connection.createArrayOf("uuid", ids));
            insert.setArray(2, connection.createArrayOf("text", channels));
            insert.setArray(3, connection.createArrayOf("text", contentTypes));
            insert.setArray(4, connection.createArrayOf("bytea", payloads));
            insert.setArray(5, connection.createArrayOf("text", arrivals));
            insert.setArray(6, connection.createArrayOf("text", headers));
            insert.setArray(7, connection.createArrayOf("text", traceparents));
            insert.executeUpdate();
        }
        return inserted;
    }

    /** Claims the keys of the keyed candidates and returns the ids of the messages that got theirs. */
    private static Set<UUID> claimKeys(Connection connection, List<PendingMessage> candidates) throws SQLException {
        Set<UUID> claimed = new HashSet<>();
        // In (channel, key) order, so two committers never wait on each other's keys in a cycle.
        List<PendingMessage> keyed = candidates.stream().filter(message -> message.idempotencyKey() != null)
                .sorted(Comparator.comparing(PendingMessage::channel).thenComparing(PendingMessage::idempotencyKey))
                .toList();
        if (keyed.isEmpty()) {
            return claimed;
        }
        int rows = keyed.size();
        String[] channels = new String[rows];
        String[] keys = new String[rows];
        UUID[] ids = new UUID[rows];
        String[] arrivals = new String[rows];
        for (int k = 0; k < rows; k++) {
            PendingMessage message = keyed.get(k);
            channels[k] = message.channel();
            keys[k] = message.idempotencyKey();
            ids[k] = message.id();
            arrivals[k] = message.arrivedAt().toString();
        }
        try (PreparedStatement insert = connection.prepareStatement(CLAIM_KEYS)) {
            insert.setArray(1, connection.createArrayOf("text", channels));
            insert.setArray(2, connection.createArrayOf("text", keys));
            insert.setArray(3, connection.createArrayOf("uuid", ids));
            insert.setArray(4, connection.createArrayOf("text", arrivals));
            try (ResultSet returned = insert.executeQuery()) {
                while (returned.next()) {
                    claimed.add(returned.getObject(1, UUID.class));
                }
            }
        }
        return claimed;
    }

    /** Stores the deliveries in one statement. */
    private static void insertDeliveries(Connection connection, List<BatchPlan.NewDelivery> deliveries)
            throws SQLException {
        if (deliveries.isEmpty()) {
            return;
        }
        int rows = deliveries.size();
        String[] destinations = new String[rows];
        Long[] sequences = new Long[rows];
        UUID[] messageIds = new UUID[rows];
        for (int k = 0; k < rows; k++) {
            BatchPlan.NewDelivery delivery = deliveries.get(k);
            destinations[k] = delivery.destination();
            sequences[k] = delivery.sequence();
            messageIds[k] = delivery.messageId();
        }
        try (PreparedStatement insert = connection.prepareStatement(INSERT_DELIVERIES)) {
            insert.setArray(1, connection.createArrayOf("text", destinations));
            insert.setArray(2, connection.createArrayOf("int8", sequences));
            insert.setArray(3, connection.createArrayOf("uuid", messageIds));
            insert.executeUpdate();
        }
    }

    private static void rollbackQuietly(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
