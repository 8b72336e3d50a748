package org.reseq.resequencer.dispatch;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.reseq.model.headers.StoredHeaders;
import org.reseq.model.tracing.Traceparent;
import org.springframework.stereotype.Component;

/** {@link Deliveries} in PostgreSQL: one query for progress, one join for a dispatch range. */
@Component
class JdbcDeliveries implements Deliveries {

    /** Rows fetched per round trip while streaming a range. */
    private static final int FETCH_SIZE = 64;

    private final DataSource dataSource;

    JdbcDeliveries(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public Optional<Progress> progress(String destination) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("""
                     select s.last_sequence, coalesce(c.position, 0), d.config::text
                       from destination d
                       join destination_sequence s on s.destination = d.name
                       left join destination_cursor c on c.destination = d.name and c.role = 'EGRESS'
                      where d.name = ?""")) {
            select.setString(1, destination);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next()
                        ? Optional.of(new Progress(rows.getLong(1), rows.getLong(2), rows.getString(3)))
                        : Optional.empty();
            }
        }
    }

    @Override
    public List<PendingDelivery> between(String destination, long after, long upTo, long maxBytes)
            throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            // A cursor (no auto-commit, a fetch size) streams the rows, so that no more than about
            // maxBytes of payload is ever read into memory, however large the range.
            connection.setAutoCommit(false);
            try {
                return between(connection, destination, after, upTo, maxBytes);
            } finally {
                connection.rollback(); // read only; the pool restores auto-commit
            }
        }
    }

    private static List<PendingDelivery> between(Connection connection, String destination, long after, long upTo,
                                                 long maxBytes) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("""
                     select d.sequence, m.id, m.content_type, m.payload, m.headers::text, m.traceparent
                       from delivery d
                       join message m on m.id = d.message_id
                      where d.destination = ? and d.sequence > ? and d.sequence <= ?
                      order by d.sequence""")) {
            select.setString(1, destination);
            select.setLong(2, after);
            select.setLong(3, upTo);
            select.setFetchSize(FETCH_SIZE);
            try (ResultSet rows = select.executeQuery()) {
                List<PendingDelivery> deliveries = new ArrayList<>();
                long bytes = 0;
                while (bytes < maxBytes && rows.next()) {
                    PendingDelivery delivery = new PendingDelivery(rows.getLong(1), rows.getObject(2, UUID.class),
                            rows.getString(3), rows.getBytes(4), StoredHeaders.read(rows.getString(5)),
                            Traceparent.parse(rows.getString(6)));
                    deliveries.add(delivery);
                    bytes += delivery.payload().length;
                }
                return deliveries;
            }
        }
    }
}
