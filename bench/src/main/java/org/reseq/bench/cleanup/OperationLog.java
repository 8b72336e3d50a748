package org.reseq.bench.cleanup;

import java.util.Arrays;
import java.util.function.LongPredicate;
import org.reseq.bench.measure.Distribution;

/**
 * When each operation of one kind (a writer commit, a reader query) started and how long it took,
 * in {@link System#nanoTime()}: kept whole, so that percentiles are exact and can be taken over
 * any subset afterwards (during a cleanup or outside, one minute).
 *
 * <p>Not thread-safe: the thread that performs the operations owns it while it runs; others read
 * it once that thread has been joined.
 */
final class OperationLog {

    private long[] starts = new long[1 << 14];
    private long[] durations = new long[1 << 14];
    private int size;

    void add(long startNanos, long durationNanos) {
        if (size == starts.length) {
            starts = Arrays.copyOf(starts, size * 2);
            durations = Arrays.copyOf(durations, size * 2);
        }
        starts[size] = startNanos;
        durations[size] = durationNanos;
        size++;
    }

    int size() {
        return size;
    }

    /** The distribution of every duration. */
    Distribution all() {
        return Distribution.ofNanos(Arrays.copyOf(durations, size), size);
    }

    /** The distribution of the durations of the operations that overlap a window, or do not. */
    Distribution split(CleanupWindows windows, boolean overlapping) {
        return where(k -> windows.overlaps(starts[(int) k], starts[(int) k] + durations[(int) k]) == overlapping);
    }

    /** The distribution of the durations of the operations that started in {@code [from, to)}. */
    Distribution startedBetween(long fromNanos, long toNanos) {
        return where(k -> starts[(int) k] - fromNanos >= 0 && starts[(int) k] - toNanos < 0);
    }

    private Distribution where(LongPredicate index) {
        long[] selected = new long[size];
        int count = 0;
        for (int k = 0; k < size; k++) {
            if (index.test(k)) {
                selected[count++] = durations[k];
            }
        }
        return Distribution.ofNanos(selected, count);
    }
}
