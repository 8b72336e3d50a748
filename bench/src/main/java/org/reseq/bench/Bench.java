package org.reseq.bench;

import java.io.PrintStream;
import java.util.concurrent.Callable;
import org.reseq.bench.cli.AllCommand;
import org.reseq.bench.cli.IdleCommand;
import org.reseq.bench.cli.JmhCommand;
import org.reseq.bench.cli.ManyDestinationsCommand;
import org.reseq.bench.cli.OutageCommand;
import org.reseq.bench.cli.RetentionCleanupCommand;
import org.reseq.bench.cli.Seed750Command;
import org.reseq.bench.cli.SeedGoCommand;
import org.reseq.bench.cli.SoakCommand;
import org.reseq.bench.cli.ThroughputCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The benchmark's command line. Each scenario drives a running reseq stack through its public API
 * only, then runs the peers in this JVM on the same workload; results go to standard output (a
 * JSON line per run, then a Markdown table), logs to standard error.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, version = "reseq bench",
        description = {
            "Measures a running reseq stack (start one with deploy/local/up) through its public API and, "
                    + "on the same workloads, its peers in this JVM: Camel's stream resequencer, Spring "
                    + "Integration in memory and on PostgreSQL, and a sequential baseline.",
            "Prints one JSON line per run as it finishes, then a Markdown table and reseq's ratios to each "
                    + "peer. Logs go to standard error.",
            "Exit code: 0 when every reseq run delivered everything once and in order, 1 otherwise, 2 for a "
                    + "bad command line.",
            ""},
        subcommands = {ThroughputCommand.class, Seed750Command.class, SeedGoCommand.class,
            ManyDestinationsCommand.class, IdleCommand.class, OutageCommand.class, SoakCommand.class, AllCommand.class, JmhCommand.class,
            RetentionCleanupCommand.class, CommandLine.HelpCommand.class})
public final class Bench implements Callable<Integer> {

    private final PrintStream out;

    @Spec
    private CommandSpec spec;

    public Bench() {
        this(System.out);
    }

    /** @param out where results go */
    public Bench(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        // Log times, so that a run's log lines can be matched with anything else on the machine.
        setIfAbsent("org.slf4j.simpleLogger.showDateTime", "true");
        setIfAbsent("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS");
        System.exit(execute(System.out, args));
    }

    private static void setIfAbsent(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }

    /** Runs the command line, writing results to {@code out}, and returns the exit code. */
    public static int execute(PrintStream out, String... args) {
        return commandLine(out).execute(args);
    }

    /** The command line with its subcommands, ready to parse or execute. */
    static CommandLine commandLine(PrintStream out) {
        CommandLine commandLine = new CommandLine(new Bench(out));
        // Keep JMH's arguments in their order, options and values alike.
        commandLine.getSubcommands().get(JmhCommand.NAME).setStopAtUnmatched(true);
        commandLine.setExecutionExceptionHandler((exception, command, parseResult) -> {
            command.getErr().println("bench " + command.getCommandName() + ": " + exception.getMessage());
            if (!(exception instanceof IllegalStateException)) {
                exception.printStackTrace(command.getErr());
            }
            return 1;
        });
        return commandLine;
    }

    /** @return where results go */
    public PrintStream out() {
        return out;
    }

    /** Without a subcommand: say which there are. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return CommandLine.ExitCode.USAGE;
    }
}
