package org.reseq.bench.cli;

import java.util.List;
import org.reseq.bench.scenario.OutageScenario;
import org.reseq.bench.scenario.Scenario;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bench outage}. */
@Command(name = OutageScenario.NAME, mixinStandardHelpOptions = true, sortOptions = false,
        description = {"A destination down for minutes under load.",
            "One channel to two destinations at a fixed rate; the sink answers 503 for the first one for a "
                    + "while. Redis must stay bounded and everything must arrive in order once it is back. No "
                    + "peers: they have no destination that can fail.", ""})
public final class OutageCommand extends ScenarioCommand {

    @Option(order = 1, names = "--rate", defaultValue = "" + OutageScenario.RATE, paramLabel = "PER_S",
            description = "Arrivals per second (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(order = 2, names = "--seconds", defaultValue = "" + OutageScenario.SECONDS, paramLabel = "S",
            description = "How long messages arrive (default: ${DEFAULT-VALUE}).")
    int seconds;

    @Option(order = 3, names = "--outage-start-seconds", defaultValue = "" + OutageScenario.OUTAGE_START_SECONDS,
            paramLabel = "S", description = "When the destination goes down, after the start (default: ${DEFAULT-VALUE}).")
    int outageStartSeconds;

    @Option(order = 4, names = "--outage-seconds", defaultValue = "" + OutageScenario.OUTAGE_SECONDS, paramLabel = "S",
            description = "How long it stays down (default: ${DEFAULT-VALUE}).")
    int outageSeconds;

    @Option(order = 5, names = "--senders", defaultValue = "" + OutageScenario.SENDERS, paramLabel = "N",
            description = "Keep-alive connections to ingress (default: ${DEFAULT-VALUE}).")
    int senders;

    @Override
    List<Scenario> scenarios() {
        return List.of(new OutageScenario(rate, seconds, outageStartSeconds, outageSeconds, senders));
    }

    @Override
    boolean comparesPeers() {
        return false;
    }
}
