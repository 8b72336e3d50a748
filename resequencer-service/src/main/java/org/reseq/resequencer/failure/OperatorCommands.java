package org.reseq.resequencer.failure;

import java.util.Optional;
import org.reseq.model.failure.OperatorCommand;
import org.reseq.model.lease.Lease;
import org.reseq.model.redis.Incarnation;

/**
 * A destination's queue of operator commands for its resequencer leader (RETRY and SKIP of a
 * blocked head). The admin API records each command and appends it; only the destination's
 * leader takes them, one at a time, after carrying each out, so that a command interrupted by an
 * outage is carried out again (both are harmless to repeat: the second finds no blocked head).
 */
public interface OperatorCommands {

    /** The oldest command, left in the queue; unreadable entries are dropped on the way (logged). */
    Optional<OperatorCommand> peek(Incarnation destination);

    /**
     * Removes the oldest command, once it was carried out (or ignored), only while {@code lease}
     * holds: a stale leader can neither take a command nor drop one.
     *
     * @throws org.reseq.model.lease.LeaseLostException when the lease's term ended or a newer leader claimed the destination
     */
    void taken(Lease lease);
}
