package org.reseq.ingress.commit;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Finds the message that holds an idempotency key: its receipt, and its content type and payload
 * to tell a repeat from a different message under the same key.
 *
 * <p>The stored payload is compared directly rather than through a digest kept beside it. A
 * digest would cost every keyed message a hash of its whole payload and a column of its own, on
 * the path that every first message takes, to save work only on repeats, which are rare; reading
 * the stored payload back costs a repeat no more than the payload it just sent, and it also works
 * for messages stored before any digest existed.
 */
public final class JdbcReceipts {

    // One row per message: the payload comes back once, however many destinations it has.
    // Deliveries are aggregated in the channel's route order, which is the order the 202 listed them in.
    private static final String FIND = """
            select m.id, m.content_type, m.payload,
                   array_agg(d.destination order by cd.position nulls last, d.destination)
                       filter (where d.destination is not null),
                   array_agg(d.sequence order by cd.position nulls last, d.destination)
                       filter (where d.destination is not null)
              from idempotency_key k
              join message m on m.id = k.message_id
              left join delivery d on d.message_id = m.id
              left join channel_destination cd on cd.channel = m.channel and cd.destination = d.destination
             where k.channel = ? and k.key = ?
             group by m.id""";

    private final DataSource dataSource;

    public JdbcReceipts(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The message holding {@code idempotencyKey} on {@code channel}, if there is one. */
    public Optional<KeyHolder> find(String channel, String idempotencyKey) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return find(connection, channel, idempotencyKey);
        }
    }

    static Optional<KeyHolder> find(Connection connection, String channel, String idempotencyKey)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(FIND)) {
            select.setString(1, channel);
            select.setString(2, idempotencyKey);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                UUID id = row.getObject(1, UUID.class);
                List<Receipt.Delivery> deliveries = new ArrayList<>();
                String[] destinations = strings(row.getArray(4));
                Long[] sequences = longs(row.getArray(5));
                for (int i = 0; i < destinations.length; i++) {
                    deliveries.add(new Receipt.Delivery(destinations[i], sequences[i]));
                }
                return Optional.of(new KeyHolder(new Receipt(id, channel, deliveries), row.getString(2),
                        row.getBytes(3)));
            }
        }
    }

    /**
     * Per candidate that was not inserted, by its id, the message that holds its key. The insert
     * waited for any other transaction holding the key, so the holder is committed and visible.
     */
    static Map<UUID, KeyHolder> holdersOfTakenKeys(Connection connection, List<PendingMessage> candidates,
            Set<UUID> inserted) throws SQLException {
        Map<UUID, KeyHolder> holders = new HashMap<>();
        for (PendingMessage candidate : candidates) {
            if (!inserted.contains(candidate.id()) && candidate.idempotencyKey() != null) {
                holders.put(candidate.id(), find(connection, candidate.channel(), candidate.idempotencyKey())
                        .orElseThrow(() -> new IllegalStateException("Idempotency key conflict without a message")));
            }
        }
        return holders;
    }

    private static String[] strings(Array array) throws SQLException {
        return array == null ? new String[0] : (String[]) array.getArray();
    }

    private static Long[] longs(Array array) throws SQLException {
        return array == null ? new Long[0] : (Long[]) array.getArray();
    }
}
