package org.reseq.bench.cli;

import java.util.List;
import org.reseq.bench.scenario.Scenario;
import org.reseq.bench.scenario.Seed750Scenario;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bench seed-750}. */
@Command(name = Seed750Scenario.NAME, mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Slow transforms (500-1,000 ms) at fixed arrival rates.",
            "One destination; messages arrive at each rate for a while. Latency must stay flat: the notes "
                    + "compare the median latency of the first and the last 10 s of arrivals.", ""})
public final class Seed750Command extends ScenarioCommand {

    @Option(order = 1, names = "--rates", defaultValue = Seed750Scenario.RATES, split = ",", paramLabel = "PER_S",
            description = "Arrivals per second, one run each (default: ${DEFAULT-VALUE}).")
    List<Double> rates;

    @Option(order = 2, names = "--seconds", defaultValue = "" + Seed750Scenario.SECONDS, paramLabel = "S",
            description = "How long messages arrive in each run (default: ${DEFAULT-VALUE}).")
    int seconds;

    @Option(order = 3, names = "--transform-min-ms", defaultValue = "" + Seed750Scenario.TRANSFORM_MIN_MS, paramLabel = "MS",
            description = "Shortest transform (default: ${DEFAULT-VALUE}).")
    long transformMinMs;

    @Option(order = 4, names = "--transform-max-ms", defaultValue = "" + Seed750Scenario.TRANSFORM_MAX_MS, paramLabel = "MS",
            description = "Longest transform (default: ${DEFAULT-VALUE}).")
    long transformMaxMs;

    @Option(order = 5, names = "--senders", defaultValue = "" + Seed750Scenario.SENDERS, paramLabel = "N",
            description = "Keep-alive connections to ingress (default: ${DEFAULT-VALUE}).")
    int senders;

    @Override
    List<Scenario> scenarios() {
        return List.of(new Seed750Scenario(rates, seconds, transformMinMs, transformMaxMs, senders));
    }
}
