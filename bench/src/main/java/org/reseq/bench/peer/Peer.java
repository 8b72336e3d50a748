package org.reseq.bench.peer;

import org.reseq.bench.report.RunResult;
import org.reseq.bench.workload.Workload;

/**
 * Another way to keep messages in order, run in this JVM on the same workload and measured the
 * same way as reseq, so that reseq's figures can be read as ratios to it.
 */
public interface Peer {

    /** @return the name the report uses for it ({@code camel-stream}, {@code si-simple}, ...) */
    String name();

    /**
     * Runs the workload through the peer and measures it.
     *
     * @param scenario the scenario name, copied to the result
     * @param variant what distinguishes runs of the scenario, copied to the result
     * @param workload the messages, their arrival rate and their transform times
     * @param destinations message {@code i} goes to destination {@code i % destinations}
     * @return the figures of the run, with {@link RunResult#system()} equal to {@link #name()}
     */
    RunResult run(String scenario, String variant, Workload workload, int destinations) throws Exception;
}
