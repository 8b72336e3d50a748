package org.reseq.resequencer.failure;

import java.sql.SQLException;
import java.util.Optional;
import org.reseq.model.failure.DeadLetter;
import org.reseq.model.lease.Lease;

/**
 * Records a delivery as a dead letter, keeping the message exactly as it was received (payload and
 * content type), so that an operator can redeliver it.
 */
public interface DeadLetterRecorder {

    /** Whether the delivery {@code sequence} of {@code destination} is a dead letter already. */
    boolean exists(String destination, long sequence) throws SQLException;

    /**
     * Records the delivery {@code sequence} of the lease's destination, fenced by its epoch;
     * recording it again changes nothing.
     *
     * @return the message it carries, empty when there is no such delivery (nothing recorded)
     * @throws org.reseq.model.lease.LeaseLostException when the lease no longer holds
     */
    Optional<Original> record(Lease lease, long sequence, DeadLetter.Stage stage, String error, int attempts)
            throws SQLException;
}
