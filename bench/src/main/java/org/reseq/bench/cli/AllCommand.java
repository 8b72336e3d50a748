package org.reseq.bench.cli;

import java.util.List;
import org.reseq.bench.scenario.ManyDestinationsScenario;
import org.reseq.bench.scenario.OutageScenario;
import org.reseq.bench.scenario.Scenario;
import org.reseq.bench.scenario.Seed750Scenario;
import org.reseq.bench.scenario.SeedGoScenario;
import org.reseq.bench.scenario.ThroughputScenario;
import picocli.CommandLine.Command;

/** {@code bench all}. */
@Command(name = "all", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Every scenario in turn, with its defaults.",
            "throughput, seed-750, seed-go, many-destinations, outage: about half an hour with the peers.", ""})
public final class AllCommand extends ScenarioCommand {

    @Override
    List<Scenario> scenarios() {
        return List.of(ThroughputScenario.defaults(), Seed750Scenario.defaults(), SeedGoScenario.defaults(),
                ManyDestinationsScenario.defaults(), OutageScenario.defaults());
    }
}
