package org.reseq.resequencer.failure;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.reseq.model.failure.DeadLetter;
import org.reseq.model.failure.DeadLetters;
import org.reseq.model.headers.StoredHeaders;
import org.reseq.model.lease.Lease;
import org.springframework.stereotype.Component;

/**
 * The {@link DeadLetterRecorder} in PostgreSQL: the payload, content type and travelling headers
 * come from the {@code message} table, the dead letter goes to {@code dead_letter}, fenced by the lease's epoch.
 *
 * <p>Thread-safe (stateless): every leader thread calls it for its own destination.
 */
@Component
class JdbcDeadLetterRecorder implements DeadLetterRecorder {

    private final DataSource dataSource;
    private final DeadLetters deadLetters;

    JdbcDeadLetterRecorder(DataSource dataSource, DeadLetters deadLetters) {
        this.dataSource = dataSource;
        this.deadLetters = deadLetters;
    }

    @Override
    public boolean exists(String destination, long sequence) throws SQLException {
        return deadLetters.find(destination, sequence).isPresent();
    }

    @Override
    public Optional<Original> record(Lease lease, long sequence, DeadLetter.Stage stage, String error,
                                 int attempts) throws SQLException {
        String destination = lease.destination();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("""
                     select m.id, m.content_type, m.payload, m.headers::text
                       from delivery d
                       join message m on m.id = d.message_id
                      where d.destination = ? and d.sequence = ?""")) {
            select.setString(1, destination);
            select.setLong(2, sequence);
            try (ResultSet rows = select.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                UUID messageId = rows.getObject(1, UUID.class);
                deadLetters.record(lease, sequence, messageId, stage, error == null ? "" : error,
                        attempts, rows.getString(2), rows.getBytes(3), StoredHeaders.read(rows.getString(4)));
                return Optional.of(new Original(messageId, rows.getString(2)));
            }
        }
    }
}
