package org.reseq.bench.scenario;

import java.util.Locale;
import org.reseq.bench.stack.RunNames;
import org.reseq.bench.stack.Topology;
import org.reseq.bench.workload.Workload;

/**
 * Many destinations at once, each behind its own channel, a few messages each, transforms that
 * cost nothing: what a leader, a lease and a stream per destination cost.
 *
 * @param destinations destinations (and channels) in the run
 * @param messagesPerDestination messages each destination receives
 * @param senders connections to ingress
 */
public record ManyDestinationsScenario(int destinations, int messagesPerDestination, int senders) implements Scenario {

    public static final String NAME = "many-destinations";
    public static final int DESTINATIONS = 1_000;
    public static final int MESSAGES_PER_DESTINATION = 20;
    public static final int SENDERS = 64;

    public static ManyDestinationsScenario defaults() {
        return new ManyDestinationsScenario(DESTINATIONS, MESSAGES_PER_DESTINATION, SENDERS);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void run(BenchContext context) {
        String variant = Variants.destinations(destinations);
        Workload workload = new Workload(destinations * messagesPerDestination, 0, 0, 0, context.seed());
        context.attempt(NAME, () -> {
            Topology topology = Topology.channelPerDestination(RunNames.next(), destinations);
            Measurement measurement = context.measure(new RunPlan(NAME, variant, workload, topology, senders, null));
            context.report(measurement.result(String.format(Locale.ROOT,
                    "%,d messages each; destinations and channels created in %.1f s", messagesPerDestination,
                    measurement.provisionSeconds())));
        });
        context.runPeers(NAME, variant, workload, destinations);
    }
}
