package org.reseq.egress.leader;

import java.util.Optional;
import org.reseq.model.failure.OperatorCommand;
import org.reseq.model.lease.Lease;
import org.reseq.model.redis.Incarnation;

/**
 * The operators' redelivery commands of each destination: a queue that the admin API appends
 * {@link OperatorCommand}s to, and that only the destination's current leader takes from the
 * front, fenced by its epoch so that two leaders never both take one command. Implementations are
 * shared by every leader and must be thread-safe; each leader uses them for its own destination only.
 */
public interface Redeliveries {

    /**
     * Puts the lease's epoch in the destination's egress fence, so that from now on no older
     * leader takes a command.
     *
     * @throws org.reseq.model.lease.LeaseLostException when a newer leader claimed it already, or the lease's term
     *         ended
     */
    void claim(Lease lease);

    /**
     * Takes the next command while {@code lease} holds, skipping (and logging) entries that are
     * not commands at all. A fence that went missing (the store lost it) is claimed again first.
     *
     * @throws org.reseq.model.lease.LeaseLostException when the lease's term ended or a newer leader claimed the destination
     */
    Optional<OperatorCommand> next(Lease lease);

    /** Puts a command taken but not carried out back at the front, to be taken first next time. */
    void putBack(Incarnation destination, OperatorCommand command);

    /**
     * Whether commands wait. An unreachable store counts as none: this is asked between delivery
     * attempts, which must not fail for it.
     */
    boolean pending(Incarnation destination);
}
