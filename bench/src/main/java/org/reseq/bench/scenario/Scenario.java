package org.reseq.bench.scenario;

/** A named set of runs: reseq's, each followed by the peers' on the same workload. */
public interface Scenario {

    String name();

    /** Runs and reports every run; a run that fails is logged and marks the invocation as failed. */
    void run(BenchContext context);
}
