package org.reseq.bench.cli;

import java.util.List;
import org.reseq.bench.scenario.Scenario;
import org.reseq.bench.scenario.ThroughputScenario;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bench throughput}. */
@Command(name = ThroughputScenario.NAME, mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Sustained throughput with transforms that cost nothing.",
            "Messages are sent as fast as reseq takes them, over one channel per destination; one run per "
                    + "destination count.", ""})
public final class ThroughputCommand extends ScenarioCommand {

    @Option(order = 1, names = "--messages", defaultValue = "" + ThroughputScenario.MESSAGES, paramLabel = "N",
            description = "Messages per run, across destinations (default: ${DEFAULT-VALUE}).")
    int messages;

    @Option(order = 2, names = "--destinations", defaultValue = ThroughputScenario.DESTINATION_COUNTS, split = ",",
            paramLabel = "N", description = "Destination counts, one run each (default: ${DEFAULT-VALUE}).")
    List<Integer> destinations;

    @Option(order = 3, names = "--senders", defaultValue = "" + ThroughputScenario.SENDERS, paramLabel = "N",
            description = "Keep-alive connections to ingress, one request each in flight (default: ${DEFAULT-VALUE}).")
    int senders;

    @Option(order = 4, names = "--batch", defaultValue = "1", paramLabel = "N",
            description = "Messages per ingest request (the batch endpoint when above 1); pair it with "
                    + "--delivery-batch N for batches at both edges (default: ${DEFAULT-VALUE}).")
    int batch;

    @Override
    List<Scenario> scenarios() {
        if (batch < 1 || batch > 1000) {
            throw invalid("--batch must be between 1 and 1000 (reseq.ingest.max-batch-items)");
        }
        return List.of(new ThroughputScenario(messages, destinations, senders, batch));
    }
}
