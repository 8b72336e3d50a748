package org.reseq.bench.cli;

import java.util.List;
import org.reseq.bench.scenario.ManyDestinationsScenario;
import org.reseq.bench.scenario.Scenario;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bench many-destinations}. */
@Command(name = ManyDestinationsScenario.NAME, mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Many destinations at once.",
            "Each destination has its own channel and receives a few messages; transforms cost nothing.", ""})
public final class ManyDestinationsCommand extends ScenarioCommand {

    @Option(order = 1, names = "--destinations", defaultValue = "" + ManyDestinationsScenario.DESTINATIONS, paramLabel = "N",
            description = "Destinations (and channels) (default: ${DEFAULT-VALUE}).")
    int destinations;

    @Option(order = 2, names = "--messages-per-destination", defaultValue = "" + ManyDestinationsScenario.MESSAGES_PER_DESTINATION,
            paramLabel = "N", description = "Messages each destination receives (default: ${DEFAULT-VALUE}).")
    int messagesPerDestination;

    @Option(order = 3, names = "--senders", defaultValue = "" + ManyDestinationsScenario.SENDERS, paramLabel = "N",
            description = "Keep-alive connections to ingress (default: ${DEFAULT-VALUE}).")
    int senders;

    @Override
    List<Scenario> scenarios() {
        return List.of(new ManyDestinationsScenario(destinations, messagesPerDestination, senders));
    }
}
