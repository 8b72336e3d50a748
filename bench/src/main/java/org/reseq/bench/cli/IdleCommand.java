package org.reseq.bench.cli;

import java.time.Duration;
import java.util.List;
import org.reseq.bench.scenario.IdleScenario;
import org.reseq.bench.scenario.Scenario;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bench idle}. */
@Command(name = IdleScenario.NAME, mixinStandardHelpOptions = true, sortOptions = false,
        description = {"What idle destinations cost.",
            "Measures the suite's CPU per process over a quiet interval, then creates the destinations "
                    + "(no messages) and measures again; prints both, and the difference as a share of one core.",
            ""})
public final class IdleCommand extends ScenarioCommand {

    @Option(order = 1, names = "--destinations", defaultValue = "" + IdleScenario.DESTINATIONS, paramLabel = "N",
            description = "Destinations (and channels) to create (default: ${DEFAULT-VALUE}).")
    int destinations;

    @Option(order = 2, names = "--seconds", defaultValue = "" + IdleScenario.SECONDS, paramLabel = "S",
            description = "Length of each measured interval (default: ${DEFAULT-VALUE}).")
    int seconds;

    @Option(order = 3, names = "--settle-seconds", defaultValue = "20", paramLabel = "S",
            description = "Wait after creating the destinations, for their leaders to start (default: ${DEFAULT-VALUE}).")
    int settleSeconds;

    @Override
    boolean comparesPeers() {
        return false;
    }

    @Override
    List<Scenario> scenarios() {
        if (destinations < 1 || seconds < 1 || settleSeconds < 0) {
            throw invalid("--destinations and --seconds must be positive, --settle-seconds not negative");
        }
        return List.of(new IdleScenario(destinations, seconds, Duration.ofSeconds(settleSeconds)));
    }
}
