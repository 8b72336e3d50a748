package org.reseq.bench.cli;

import java.util.List;
import org.reseq.bench.scenario.Scenario;
import org.reseq.bench.scenario.SeedGoScenario;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bench seed-go}. */
@Command(name = SeedGoScenario.NAME, mixinStandardHelpOptions = true, sortOptions = false,
        description = {"A batch with transforms of 1-100 ms, all sent at once.",
            "One destination; the figure is the total time, against the same work done one message at a "
                    + "time (the sum of the transform times, and the sequential peer).", ""})
public final class SeedGoCommand extends ScenarioCommand {

    @Option(order = 1, names = "--messages", defaultValue = "" + SeedGoScenario.MESSAGES, paramLabel = "N",
            description = "Messages in the batch (default: ${DEFAULT-VALUE}).")
    int messages;

    @Option(order = 2, names = "--transform-min-ms", defaultValue = "" + SeedGoScenario.TRANSFORM_MIN_MS, paramLabel = "MS",
            description = "Shortest transform (default: ${DEFAULT-VALUE}).")
    long transformMinMs;

    @Option(order = 3, names = "--transform-max-ms", defaultValue = "" + SeedGoScenario.TRANSFORM_MAX_MS, paramLabel = "MS",
            description = "Longest transform (default: ${DEFAULT-VALUE}).")
    long transformMaxMs;

    @Option(order = 4, names = "--senders", defaultValue = "" + SeedGoScenario.SENDERS, paramLabel = "N",
            description = "Keep-alive connections to ingress (default: ${DEFAULT-VALUE}).")
    int senders;

    @Override
    List<Scenario> scenarios() {
        return List.of(new SeedGoScenario(messages, transformMinMs, transformMaxMs, senders));
    }
}
