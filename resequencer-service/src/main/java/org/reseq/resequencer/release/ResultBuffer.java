package org.reseq.resequencer.release;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.reseq.model.lease.Lease;
import org.reseq.model.redis.Incarnation;
import org.reseq.model.redis.TransformResult;

/**
 * A destination's reorder buffer: finished results waiting for their turn, and the ordered
 * output they are released to. A fence holds the epoch of the leader whose data it is: a leader
 * claims it when it starts, and it tells that leader when a newer one took over (fenced off) or
 * when the store lost the destination's data (the fence is gone). The two races are named:
 * a newer leader is a {@link org.reseq.model.lease.LeaseLostException}, a loss of the store's
 * data a {@link org.reseq.model.redis.RedisDataLostException}; the leader handles each in one place.
 */
public interface ResultBuffer {

    /**
     * Claims the destination's data for the lease's epoch: sets the fence unless a higher epoch holds it.
     *
     * @return {@link Fence#MISSING} when there was no fence (now set: the store may have lost
     *         data, or nothing was ever released), else {@link Fence#OURS}
     * @throws org.reseq.model.lease.LeaseLostException when a higher epoch holds the fence
     */
    Fence claim(Lease lease);

    /**
     * Looks at the fence as the lease's holder, and takes a pending rewind request.
     *
     * @throws org.reseq.model.lease.LeaseLostException when a higher epoch holds the fence
     */
    Check check(Lease lease);

    /**
     * Scans the buffer: discards results at or below {@code released} (stale repeats) and reports
     * whether each other result not in {@code known} succeeded.
     *
     * @return sequence to success, for the results past {@code released} that are not in {@code known}
     */
    Map<Long, Boolean> scan(Incarnation destination, long released, Set<Long> known);

    /**
     * Stores finished results in the buffer, as workers do: those of a destination without
     * transforms, which the leader finishes itself when it dispatches them.
     */
    void store(Incarnation destination, List<TransformResult> results);

    /** Discards the result of an already released sequence (a late repeat). */
    void discard(Incarnation destination, long sequence);

    /**
     * Moves the results {@code first..last} to the destination's output in order, atomically and
     * fenced by the lease's epoch, and when any moved tells whoever listens (egress) in the same
     * step. Nothing is moved once the lease's term has ended.
     *
     * @return how many results moved (fewer than asked when one was missing)
     * @throws org.reseq.model.lease.LeaseLostException when the term ended or a higher epoch claimed the fence
     * @throws org.reseq.model.redis.RedisDataLostException when the fence is missing
     */
    long release(Lease lease, long first, long last);

    /**
     * Releases {@code placeholder} as the result of {@code sequence}, replacing whatever result the
     * buffer holds for it in the same atomic, fenced step (an operator skipped it).
     *
     * @return 1 when it went out
     * @throws org.reseq.model.lease.LeaseLostException as for {@link #release}
     * @throws org.reseq.model.redis.RedisDataLostException as for {@link #release}
     */
    long releaseInstead(Lease lease, long sequence, TransformResult placeholder);

    /** The result the buffer holds for {@code sequence}, empty when it has none (or an unreadable one). */
    Optional<TransformResult> result(Incarnation destination, long sequence);

    /** The fence as a leader sees it. */
    enum Fence {
        /** It holds the leader's epoch. */
        OURS,
        /** It is missing (or older than the leader's claim): the store lost the destination's data. */
        MISSING
    }

    /**
     * What a leader learns at a poll.
     *
     * @param fence the fence as the leader sees it
     * @param rewindRequested whether egress asked for a rewind (the request is taken)
     */
    record Check(Fence fence, boolean rewindRequested) {
    }
}
