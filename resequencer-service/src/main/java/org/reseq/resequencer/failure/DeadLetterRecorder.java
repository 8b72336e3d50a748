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
import org.reseq.model.lease.Lease;
import org.springframework.stereotype.Component;

/**
 * Records a delivery as a dead letter, keeping the message exactly as it was received (payload and
 * content type from the {@code message} table), so that an operator can redeliver it.
 *
 * <p>Thread-safe (stateless): every leader thread calls it for its own destination.
 */
@Component
public class DeadLetterRecorder {

    private final DataSource dataSource;
    private final DeadLetters deadLetters;

    DeadLetterRecorder(DataSource dataSource, DeadLetters deadLetters) {
        this.dataSource = dataSource;
        this.deadLetters = deadLetters;
    }

    /** Whether the delivery {@code sequence} of {@code destination} is a dead letter already. */
    public boolean exists(String destination, long sequence) throws SQLException {
        return deadLetters.find(destination, sequence).isPresent();
    }

    /**
     * Records the delivery {@code sequence} of the lease's destination, fenced by its epoch;
     * recording it again changes nothing.
     *
     * @return the message it carries, empty when there is no such delivery (nothing recorded)
     * @throws org.reseq.model.lease.LeaseLostException when the lease no longer holds
     */
    public Optional<Original> record(Lease lease, long sequence, DeadLetter.Stage stage, String error,
                                 int attempts) throws SQLException {
        String destination = lease.destination();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("""
                     select m.id, m.content_type, m.payload
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
                        attempts, rows.getString(2), rows.getBytes(3));
                return Optional.of(new Original(messageId, rows.getString(2)));
            }
        }
    }
}
