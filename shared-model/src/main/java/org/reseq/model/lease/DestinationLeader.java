package org.reseq.model.lease;

/**
 * Acts for one destination while its lease is held. {@link LeaseKeeper} runs it on its own
 * thread, which owns all of the leader's state.
 */
@FunctionalInterface
public interface DestinationLeader {

    /**
     * Acts for the destination until the thread is interrupted (the lease is being given up)
     * or something fails. Throwing {@link LeaseLostException} or any other exception ends the
     * leadership; {@link LeaseKeeper} releases the lease and may take it again later. A leader
     * that also implements {@link StoppableLeader} is asked to stop before it is interrupted.
     */
    void lead(Lease lease) throws Exception;
}
