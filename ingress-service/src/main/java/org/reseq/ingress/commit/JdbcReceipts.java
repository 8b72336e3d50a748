package org.reseq.ingress.commit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/** Finds the receipt of a message committed earlier with a given idempotency key. */
public final class JdbcReceipts {

    // Deliveries come back in the channel's route order, which is the order the 202 listed them in.
    private static final String FIND = """
            select m.id, d.destination, d.sequence
              from message m
              left join delivery d on d.message_id = m.id
              left join channel_destination cd on cd.channel = m.channel and cd.destination = d.destination
             where m.channel = ? and m.idempotency_key = ?
             order by cd.position nulls last, d.destination""";

    private final DataSource dataSource;

    public JdbcReceipts(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The original receipt for {@code idempotencyKey} on {@code channel}, if that message exists. */
    public Optional<Receipt> find(String channel, String idempotencyKey) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return find(connection, channel, idempotencyKey);
        }
    }

    static Optional<Receipt> find(Connection connection, String channel, String idempotencyKey) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(FIND)) {
            select.setString(1, channel);
            select.setString(2, idempotencyKey);
            try (ResultSet rows = select.executeQuery()) {
                UUID id = null;
                List<Receipt.Delivery> deliveries = new ArrayList<>();
                while (rows.next()) {
                    id = rows.getObject(1, UUID.class);
                    String destination = rows.getString(2);
                    if (destination != null) {
                        deliveries.add(new Receipt.Delivery(destination, rows.getLong(3)));
                    }
                }
                return id == null ? Optional.empty() : Optional.of(new Receipt(id, channel, deliveries));
            }
        }
    }
}
