package org.reseq.bench.jmh;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.reseq.resequencer.release.ReleasePlan;
import org.reseq.resequencer.release.ReleasePlanner;

/**
 * The release decision on the shapes a leader meets, with the collections its line keeps
 * ({@link HashSet} of boxed sequences): a full window of 1,000 results finished behind the
 * cursor, and the same window waiting on a missing head.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ReleasePlannerBenchmark {

    private static final int WINDOW = 1_000;
    /** Far from 0, so that the boxed sequences are not the JVM's cached small Longs. */
    private static final long RELEASED = 5_000_000;

    /** The leader's default batch, and a batch as large as the window. */
    @Param({"100", "1000"})
    public int maxBatch;

    private Set<Long> wholeWindow;
    private Set<Long> headMissing;
    private final Set<Long> none = Set.of();

    @Setup
    public void setUp() {
        wholeWindow = new HashSet<>();
        headMissing = new HashSet<>();
        for (long sequence = RELEASED + 1; sequence <= RELEASED + WINDOW; sequence++) {
            wholeWindow.add(sequence);
            if (sequence != RELEASED + 1) {
                headMissing.add(sequence);
            }
        }
    }

    /** 1,000 finished right after the cursor: one batch of {@code maxBatch} goes out. */
    @Benchmark
    public ReleasePlan wholeWindowFinished() {
        return ReleasePlanner.plan(RELEASED, wholeWindow, none, none, maxBatch);
    }

    /** 999 finished behind a head still in transform: nothing goes out. */
    @Benchmark
    public ReleasePlan gapAtTheHead() {
        return ReleasePlanner.plan(RELEASED, headMissing, none, none, maxBatch);
    }
}
