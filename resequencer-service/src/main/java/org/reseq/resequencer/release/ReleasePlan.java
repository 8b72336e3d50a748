package org.reseq.resequencer.release;

/**
 * What may be released now: the run {@code released + 1 .. released + count}, possibly empty.
 *
 * @param released the released cursor the plan starts after
 * @param count how many sequences the run holds (0 when nothing can be released)
 * @param headFailed whether the head {@code released + 1} finished unsuccessfully and blocks the line
 */
public record ReleasePlan(long released, int count, boolean headFailed) {

    public ReleasePlan {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative: " + count);
        }
        if (headFailed && count > 0) {
            throw new IllegalArgumentException("a failed head releases nothing");
        }
    }

    /** The first sequence of the run. */
    public long first() {
        return released + 1;
    }

    /** The last sequence of the run, equal to {@link #released()} when the run is empty. */
    public long last() {
        return released + count;
    }

    public boolean isEmpty() {
        return count == 0;
    }
}
