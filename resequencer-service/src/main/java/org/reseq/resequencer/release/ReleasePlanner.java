package org.reseq.resequencer.release;

import java.util.Set;

/**
 * The resequencing decision, and nothing else: given the released cursor and what has finished,
 * which sequences may go out now.
 *
 * <p>Sequences of a destination are dense (1, 2, 3, ...), so the answer is always the longest
 * contiguous run of successful results right after the cursor, cut at {@code maxBatch}. A missing
 * head (still being processed) or a failed head stops the run before it starts; nothing after a
 * gap is ever released, which is what keeps a destination in arrival order. A failed sequence
 * the caller marks passable (dead-lettered or skipped) goes out in its place like a success, so
 * the failure is visible downstream and the run continues past it.
 *
 * <p>Pure and stateless: it touches no store, so it is safe from any thread.
 */
public final class ReleasePlanner {

    private ReleasePlanner() {
    }

    /**
     * Plans the next release.
     *
     * @param released the released cursor R: every sequence up to R has gone out
     * @param succeeded sequences whose transform finished successfully (entries up to R are ignored)
     * @param failed sequences whose transform failed for good; a sequence in both sets counts as failed
     * @param maxBatch the most sequences one release may hold, at least 1
     * @return the run R+1..R+k with k between 0 and {@code maxBatch}
     */
    public static ReleasePlan plan(long released, Set<Long> succeeded, Set<Long> failed, int maxBatch) {
        return plan(released, succeeded, failed, Set.of(), maxBatch);
    }

    /**
     * Plans the next release, letting the failed sequences in {@code passable} go out in their place.
     *
     * @param released the released cursor R: every sequence up to R has gone out
     * @param succeeded sequences whose transform finished successfully (entries up to R are ignored)
     * @param failed sequences whose transform failed for good; a sequence in both sets counts as failed
     * @param passable failed sequences that may be released all the same; entries not in
     *        {@code failed} mean nothing (no result, nothing to release)
     * @param maxBatch the most sequences one release may hold, at least 1
     * @return the run R+1..R+k with k between 0 and {@code maxBatch}
     */
    public static ReleasePlan plan(long released, Set<Long> succeeded, Set<Long> failed, Set<Long> passable,
                                   int maxBatch) {
        if (released < 0) {
            throw new IllegalArgumentException("released must not be negative: " + released);
        }
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be at least 1: " + maxBatch);
        }
        long head = released + 1;
        if (failed.contains(head) && !passable.contains(head)) {
            return new ReleasePlan(released, 0, true);
        }
        int count = 0;
        while (count < maxBatch && releasable(head + count, succeeded, failed, passable)) {
            count++;
        }
        return new ReleasePlan(released, count, false);
    }

    private static boolean releasable(long sequence, Set<Long> succeeded, Set<Long> failed, Set<Long> passable) {
        return failed.contains(sequence) ? passable.contains(sequence) : succeeded.contains(sequence);
    }
}
