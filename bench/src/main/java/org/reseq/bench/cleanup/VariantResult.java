package org.reseq.bench.cleanup;

import java.util.List;
import org.reseq.bench.measure.Distribution;

/**
 * What one variant's run measured.
 *
 * @param variant its name
 * @param seconds how long it ran
 * @param messages messages inserted
 * @param deliveries deliveries inserted
 * @param maxBacklog the most messages due at once at the start of a writer tick
 * @param behindAtEnd messages due but not written when it stopped
 * @param commits every writer commit
 * @param commitsDuring commits that overlapped a cleanup run
 * @param commitsOutside the others
 * @param deliveriesRead deliveries the reader read
 * @param reads every reader query
 * @param readsDuring reads that overlapped a cleanup run
 * @param readsOutside the others
 * @param cleanupRuns cleaner runs
 * @param removed what they removed, in all
 * @param longestCleanupMs the longest cleaner run
 * @param cleaningSeconds time spent in cleaner runs, in all
 * @param peakBytes the largest size of the tables seen just before a cleaner run
 * @param minutes one row per minute, at its end
 * @param writerLockWaitMs the longest lock wait seen for the writer (sampled)
 * @param readerLockWaitMs the longest lock wait seen for the reader (sampled)
 * @param writerLock the lock the writer waited longest for, empty if none
 * @param readerLock the lock the reader waited longest for, empty if none
 */
record VariantResult(String variant, double seconds, long messages, long deliveries, long maxBacklog,
                     long behindAtEnd, Distribution commits, Distribution commitsDuring,
                     Distribution commitsOutside, long deliveriesRead, Distribution reads, Distribution readsDuring,
                     Distribution readsOutside, int cleanupRuns, CleanupPass removed, double longestCleanupMs,
                     double cleaningSeconds, long peakBytes, List<Minute> minutes, double writerLockWaitMs,
                     double readerLockWaitMs, String writerLock, String readerLock) {

    /**
     * One minute of the run.
     *
     * @param minute 1 for the first
     * @param messages messages inserted by its end
     * @param commits the commits that started in it
     * @param store the tables at its end
     * @param cleanupRuns cleaner runs that started in it
     * @param removedMessages messages those removed
     */
    record Minute(int minute, long messages, Distribution commits, StoreSample store, int cleanupRuns,
                  long removedMessages) {
    }

    double rate() {
        return messages / seconds;
    }

    /** The store at the end of the run. */
    StoreSample last() {
        return minutes.getLast().store();
    }
}
