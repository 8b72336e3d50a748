package org.reseq.egress.leader;

import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.reseq.model.failure.DeadLetter;
import org.reseq.model.lease.Lease;

/**
 * The dead letters as egress uses them: it records the messages a destination rejected for good
 * or that cannot be sent as it is configured (stage {@link DeadLetter.Stage#DELIVERY}), and those
 * an operator skipped while egress held them ({@link DeadLetter.Stage#SKIPPED}), with their
 * transformed payload and travelling headers, and finds the dead
 * letters operators ask it to redeliver. Implementations are shared by every leader and must be
 * thread-safe.
 */
public interface DeliveryDeadLetters {

    /**
     * Records a dead letter of the lease's destination, fenced by the lease's epoch: a stale
     * holder records nothing. Recording the same sequence again changes nothing.
     *
     * @throws org.reseq.model.lease.LeaseLostException when the lease's term ended or another holder took the
     *         lease since
     * @throws SQLException when the store cannot be reached
     */
    void record(Lease lease, DeadLetter.Stage stage, long sequence, UUID messageId, String error, int attempts,
                String contentType, byte[] payload, Map<String, String> headers) throws SQLException;

    /** The dead letter of {@code destination} at {@code sequence}, whatever its stage, if there is one. */
    Optional<DeadLetter> find(String destination, long sequence) throws SQLException;

    /** Notes that an operator's redelivery of the dead letter was accepted by the destination. */
    void markRedelivered(String destination, long sequence) throws SQLException;
}
