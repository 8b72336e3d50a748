package org.reseq.bench.scenario;

import java.time.Duration;
import org.reseq.bench.stack.Topology;
import org.reseq.bench.workload.Workload;

/**
 * One reseq run of a scenario.
 *
 * @param scenario the scenario's name
 * @param variant what distinguishes this run from the scenario's others
 * @param workload the messages, their pace and their transform times
 * @param topology the run's channels and destinations (message {@code i} to route {@code i % routes})
 * @param senders connections to ingress, each with one request outstanding
 * @param outage a destination the sink refuses for a while, or null
 * @param ingestBatch messages per ingest request (the batch endpoint when above 1)
 */
public record RunPlan(String scenario, String variant, Workload workload, Topology topology, int senders,
        Outage outage, int ingestBatch) {

    /** A run that posts one message per request. */
    public RunPlan(String scenario, String variant, Workload workload, Topology topology, int senders,
                   Outage outage) {
        this(scenario, variant, workload, topology, senders, outage, 1);
    }

    /**
     * The sink answers 503 to {@code destination} from {@code from} after the run's start for
     * {@code length}.
     */
    public record Outage(String destination, Duration from, Duration length) {
    }

    public RunPlan {
        if (senders < 1) {
            throw new IllegalArgumentException("senders must be positive");
        }
    }
}
