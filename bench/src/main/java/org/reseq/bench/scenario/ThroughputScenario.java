package org.reseq.bench.scenario;

import java.util.List;
import org.reseq.bench.stack.RunNames;
import org.reseq.bench.stack.Topology;
import org.reseq.bench.workload.Workload;

/**
 * Sustained throughput with transforms that cost nothing: messages sent as fast as reseq takes
 * them, over one channel per destination, for each destination count.
 *
 * @param messages messages per run, across destinations
 * @param destinationCounts one run per count (1 and 10 by default)
 * @param senders connections to ingress; enough to keep it saturated
 * @param batch messages per ingest request (1: one each, the single-message endpoint)
 */
public record ThroughputScenario(int messages, List<Integer> destinationCounts, int senders, int batch)
        implements Scenario {

    public static final String NAME = "throughput";
    public static final int MESSAGES = 100_000;
    public static final String DESTINATION_COUNTS = "1,10";
    /**
     * Enough concurrent senders that more add nothing: ingress commits whatever arrived during the
     * previous commit as one batch, so with too few the figure measures the senders. On a
     * two-core machine 64 gave 3,100-3,600 msg/s across 10 destinations, 256 gave 4,400 and 512
     * gave 4,600.
     */
    public static final int SENDERS = 256;

    public ThroughputScenario {
        destinationCounts = List.copyOf(destinationCounts);
    }

    public static ThroughputScenario defaults() {
        return new ThroughputScenario(MESSAGES, List.of(1, 10), SENDERS, 1);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void run(BenchContext context) {
        for (int destinations : destinationCounts) {
            String variant = Variants.destinations(destinations);
            Workload workload = new Workload(messages, 0, 0, 0, context.seed());
            context.attempt(NAME + " / " + variant, () -> {
                Topology topology = Topology.channelPerDestination(RunNames.next(), destinations);
                Measurement measurement = context.measure(new RunPlan(NAME, variant, workload, topology, senders,
                        null, batch));
                context.report(measurement.result(senders + " senders"
                        + (batch > 1 ? ", " + batch + " messages per request" : "")));
            });
            context.runPeers(NAME, variant, workload, destinations);
        }
    }
}
