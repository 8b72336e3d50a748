package org.reseq.bench.measure;

import java.util.Arrays;

/**
 * Percentiles of a set of durations, exact (sorted, nearest rank), in milliseconds.
 *
 * @param count how many values
 * @param p50Ms the median
 * @param p99Ms the 99th percentile
 * @param maxMs the largest value
 */
public record Distribution(long count, double p50Ms, double p99Ms, double maxMs) {

    public static final Distribution EMPTY = new Distribution(0, 0, 0, 0);

    /** @param nanos durations in nanoseconds; the array is sorted in place */
    public static Distribution ofNanos(long[] nanos, int length) {
        if (length == 0) {
            return EMPTY;
        }
        Arrays.sort(nanos, 0, length);
        return new Distribution(length, millis(rank(nanos, length, 0.50)), millis(rank(nanos, length, 0.99)),
                millis(nanos[length - 1]));
    }

    private static long rank(long[] sorted, int length, double quantile) {
        int index = (int) Math.ceil(quantile * length) - 1;
        return sorted[Math.max(0, Math.min(length - 1, index))];
    }

    private static double millis(long nanos) {
        return Math.round(nanos / 1_000.0) / 1_000.0;
    }
}
