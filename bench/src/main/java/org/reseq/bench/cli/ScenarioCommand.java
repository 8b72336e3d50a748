package org.reseq.bench.cli;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.reseq.bench.Bench;
import org.reseq.bench.scenario.Scenario;
import org.reseq.bench.scenario.Warmup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** A subcommand that runs scenarios: opens the session, runs them in turn, prints the table. */
abstract class ScenarioCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(ScenarioCommand.class);

    @ParentCommand
    private Bench bench;

    @Spec
    private CommandSpec spec;

    @Mixin
    private CommonOptions common;

    /** @return the scenarios to run, from this command's options */
    abstract List<Scenario> scenarios();

    /** An option value the command refuses, reported as picocli reports a bad option. */
    CommandLine.ParameterException invalid(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    /** @return false when the scenarios run no peers, so none is selected or warmed up */
    boolean comparesPeers() {
        return true;
    }

    @Override
    public final Integer call() {
        List<Scenario> scenarios = scenarios();
        if (!comparesPeers()) {
            common.peers = "none";
        }
        try (BenchSession session = BenchSession.open(spec.commandLine(), common, bench.out())) {
            Warmup.run(session.context(), Duration.ofSeconds(common.warmupSeconds));
            for (Scenario scenario : scenarios) {
                log.info("Scenario {}", scenario.name());
                scenario.run(session.context());
            }
            session.context().report().printSummary();
            boolean clean = session.context().allClean();
            log.info(clean ? "Every reseq run delivered everything once, in order"
                    : "A reseq run failed, lost or reordered messages: see above");
            return clean ? 0 : 1;
        }
    }
}
