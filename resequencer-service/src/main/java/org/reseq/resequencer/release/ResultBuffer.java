package org.reseq.resequencer.release;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.reseq.model.redis.TransformResult;

/**
 * A destination's reorder buffer: finished results waiting for their turn, and the ordered
 * output they are released to. A fence holds the epoch of the leader whose data it is: a leader
 * claims it when it starts, and it tells that leader when a newer one took over (fenced off) or
 * when the store lost the destination's data (the fence is gone).
 */
public interface ResultBuffer {

    /** What {@link #release} answers when a resequencer with a higher epoch has claimed the fence. */
    long FENCED = -1;

    /** What {@link #release} answers when the fence is missing: the store lost this destination's data. */
    long LOST = -2;

    /**
     * Claims the destination's data for {@code epoch}: sets the fence unless a higher epoch holds it.
     *
     * @return {@link Fence#FENCED_OFF} when a higher epoch holds it, {@link Fence#MISSING} when there
     *         was no fence (now set: the store may have lost data), else {@link Fence#OURS}
     */
    Fence claim(String destination, long epoch);

    /**
     * Looks at the fence as the leader of {@code epoch}, and takes a pending rewind request unless
     * fenced off.
     */
    Check check(String destination, long epoch);

    /**
     * Scans the buffer: discards results at or below {@code released} (stale repeats) and reports
     * whether each other result not in {@code known} succeeded.
     *
     * @return sequence to success, for the results past {@code released} that are not in {@code known}
     */
    Map<Long, Boolean> scan(String destination, long released, Set<Long> known);

    /** Discards the result of an already released sequence (a late repeat). */
    void discard(String destination, long sequence);

    /**
     * Moves the results {@code first..last} to the destination's output in order, atomically and
     * fenced by {@code epoch}, and when any moved tells whoever listens (egress) in the same step.
     *
     * @return {@link #FENCED} when a higher epoch has claimed the fence, {@link #LOST} when the fence
     *         is missing, else how many results moved (fewer than asked when one was missing)
     */
    long release(String destination, long epoch, long first, long last);

    /**
     * Releases {@code placeholder} as the result of {@code sequence}, replacing whatever result the
     * buffer holds for it in the same atomic, fenced step (an operator skipped it).
     *
     * @return as {@link #release}: 1 when it went out
     */
    long releaseInstead(String destination, long epoch, long sequence, TransformResult placeholder);

    /** The result the buffer holds for {@code sequence}, empty when it has none (or an unreadable one). */
    Optional<TransformResult> result(String destination, long sequence);

    /** The fence as a leader sees it. */
    enum Fence {
        /** It holds the leader's epoch. */
        OURS,
        /** It is missing (or older than the leader's claim): the store lost the destination's data. */
        MISSING,
        /** A higher epoch holds it: another leader took over. */
        FENCED_OFF
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
