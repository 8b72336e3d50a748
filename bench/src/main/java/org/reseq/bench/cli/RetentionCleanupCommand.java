package org.reseq.bench.cli;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.reseq.bench.Bench;
import org.reseq.bench.cleanup.CleanupSettings;
import org.reseq.bench.cleanup.RetentionCleanupBench;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code bench retention-cleanup}: batched deletes against dropping time partitions, on PostgreSQL alone. */
@Command(name = RetentionCleanupCommand.NAME, mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Retention on PostgreSQL: reseq's batched deletes against dropping time partitions.",
            "Needs no running stack. Creates the database " + "reseq_cleanup_bench (dropped first if it exists, "
                    + "and at the end), then runs each variant on fresh tables shaped like reseq's message and "
                    + "delivery: a writer in group commits every 10 ms at a fixed rate, a reader of delivery "
                    + "ranges every 10 ms, and a cleaner every interval. Prints per-minute rows and a Markdown "
                    + "comparison.", ""})
public final class RetentionCleanupCommand implements Callable<Integer> {

    public static final String NAME = "retention-cleanup";

    @ParentCommand
    private Bench bench;

    @Spec
    private CommandSpec spec;

    @Option(order = 1, names = "--jdbc-url", defaultValue = "jdbc:postgresql://127.0.0.1:5432/postgres",
            paramLabel = "URL", description = "Any database on the server to use (default: ${DEFAULT-VALUE}).")
    String jdbcUrl;

    @Option(order = 2, names = "--jdbc-user", defaultValue = "postgres", paramLabel = "USER",
            description = "A user who may create databases (default: ${DEFAULT-VALUE}).")
    String jdbcUser;

    @Option(order = 3, names = "--jdbc-password", defaultValue = "", paramLabel = "PASSWORD",
            description = "Its password, empty for none (default: empty).")
    String jdbcPassword;

    @Option(order = 4, names = "--rate", defaultValue = "1000", paramLabel = "PER_S",
            description = "Messages written per second (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(order = 5, names = "--payload-bytes", defaultValue = "1024", paramLabel = "B",
            description = "Payload of each message (default: ${DEFAULT-VALUE}).")
    int payloadBytes;

    @Option(order = 6, names = "--destinations-per-message", defaultValue = "2", paramLabel = "N",
            description = "Deliveries per message (default: ${DEFAULT-VALUE}).")
    int destinationsPerMessage;

    @Option(order = 7, names = "--minutes", defaultValue = "5", paramLabel = "MIN",
            description = "How long each variant runs (default: ${DEFAULT-VALUE}).")
    int minutes;

    @Option(order = 8, names = "--retention-seconds", defaultValue = "60", paramLabel = "S",
            description = "Messages older than this are removed (default: ${DEFAULT-VALUE}).")
    int retentionSeconds;

    @Option(order = 9, names = "--cleanup-interval-seconds", defaultValue = "10", paramLabel = "S",
            description = "How often the cleaner runs (default: ${DEFAULT-VALUE}).")
    int cleanupIntervalSeconds;

    @Option(order = 10, names = "--partition-seconds", defaultValue = "60", paramLabel = "S",
            description = "Width of one partition (default: ${DEFAULT-VALUE}).")
    int partitionSeconds;

    @Option(order = 11, names = "--warmup-seconds", defaultValue = "15", paramLabel = "S",
            description = "An unreported run of the batched variant first, to warm the JVM and the server; "
                    + "0 skips it (default: ${DEFAULT-VALUE}).")
    int warmupSeconds;

    @Option(order = 12, names = "--variants", defaultValue = "batched,batched-vacuum,partitioned,partitioned-nofk",
            split = ",", paramLabel = "LIST", description = "The variants to run, in order: batched (reseq's deletes, "
                    + "dead tuples left to the server's autovacuum), batched-vacuum (the same, then VACUUM after every "
                    + "cleaner run), partitioned (reseq's foreign keys kept), partitioned-nofk (none on delivery) "
                    + "(default: ${DEFAULT-VALUE}).")
    List<String> variants;

    /** The settings these options give. */
    CleanupSettings settings() {
        try {
            return new CleanupSettings(jdbcUrl, jdbcUser, jdbcPassword, rate, payloadBytes, destinationsPerMessage,
                    Duration.ofMinutes(minutes), Duration.ofSeconds(warmupSeconds), Duration.ofSeconds(retentionSeconds),
                    Duration.ofSeconds(cleanupIntervalSeconds), Duration.ofSeconds(partitionSeconds), variants);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    @Override
    public Integer call() throws Exception {
        new RetentionCleanupBench(settings(), bench.out()).run();
        return 0;
    }
}
