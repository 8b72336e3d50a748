package org.reseq.egress.leader;

import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.reseq.model.failure.DeadLetter;
import org.reseq.model.failure.DeadLetters;
import org.reseq.model.lease.Lease;
import org.springframework.stereotype.Component;

/**
 * The {@link DeliveryDeadLetters} in PostgreSQL's {@code dead_letter}, through the shared
 * {@link DeadLetters}. Thread-safe (stateless): every leader thread calls it for its own destination.
 */
@Component
class JdbcDeliveryDeadLetters implements DeliveryDeadLetters {

    private final DeadLetters deadLetters;

    JdbcDeliveryDeadLetters(DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
    }

    @Override
    public void record(Lease lease, DeadLetter.Stage stage, long sequence, UUID messageId, String error,
                       int attempts, String contentType, byte[] payload, Map<String, String> headers)
            throws SQLException {
        deadLetters.record(lease, sequence, messageId, stage, error, attempts, contentType, payload, headers);
    }

    @Override
    public Optional<DeadLetter> find(String destination, long sequence) throws SQLException {
        return deadLetters.find(destination, sequence);
    }

    @Override
    public void markRedelivered(String destination, long sequence) throws SQLException {
        deadLetters.markRedelivered(destination, sequence);
    }
}
