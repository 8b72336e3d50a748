package org.reseq.bench.cleanup;

import java.util.Arrays;

/**
 * The intervals during which a cleanup ran, to tell apart what the writer and the reader saw
 * while one ran from what they saw outside: an operation counts as "during cleanup" when its
 * interval overlaps one of them.
 *
 * <p>Immutable; the windows (nanoTime values) are kept sorted by start and do not overlap, as
 * one cleaner thread produces them one after another.
 */
public final class CleanupWindows {

    private final long[] starts;
    private final long[] ends;

    /** @param startsAndEnds pairs {start, end} in nanoTime, in the order they ran */
    public CleanupWindows(long[][] startsAndEnds) {
        long[][] sorted = startsAndEnds.clone();
        Arrays.sort(sorted, (a, b) -> Long.compare(a[0], b[0]));
        starts = new long[sorted.length];
        ends = new long[sorted.length];
        for (int k = 0; k < sorted.length; k++) {
            if (sorted[k][1] < sorted[k][0]) {
                throw new IllegalArgumentException("A window ends before it starts");
            }
            starts[k] = sorted[k][0];
            ends[k] = sorted[k][1];
        }
    }

    /** Whether {@code [start, end]} overlaps any window (touching counts). */
    public boolean overlaps(long start, long end) {
        // The last window that starts at or before the operation ends is the only candidate:
        // windows do not overlap, so every earlier one also ended earlier.
        int index = Arrays.binarySearch(starts, end);
        int last = index >= 0 ? lastStartingAt(index) : -index - 2;
        return last >= 0 && ends[last] >= start;
    }

    private int lastStartingAt(int index) {
        int last = index;
        while (last + 1 < starts.length && starts[last + 1] == starts[index]) {
            last++;
        }
        return last;
    }

    /** How many windows. */
    public int size() {
        return starts.length;
    }
}
