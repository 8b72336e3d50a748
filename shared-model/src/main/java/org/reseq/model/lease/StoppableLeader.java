package org.reseq.model.lease;

/**
 * A {@link DestinationLeader} that can be asked to stop without an interrupt.
 *
 * <p>Why: an interrupt that reaches a thread inside interruptible I/O closes the socket, which
 * breaks a pooled database connection or a Redis call halfway. {@link LeaseKeeper} therefore
 * calls {@link #stop()} on leaders of this type and waits; it interrupts only a leader that is
 * still running after its stop grace, as it interrupts every plain {@link DestinationLeader} at once.
 */
public interface StoppableLeader extends DestinationLeader {

    /**
     * Asks {@link #lead} to return soon. Called on the lease keeper's thread while {@code lead}
     * runs on the leader's own thread, so it must only set a flag (or wake the leader) and return.
     */
    void stop();
}
