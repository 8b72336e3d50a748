package org.reseq.bench.cleanup;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code bench retention-cleanup}: measures, on this machine's PostgreSQL and under a sustained
 * write and read load like reseq's, what removing messages after their retention costs when done
 * with reseq's batched deletes (left to autovacuum, or followed by a {@code VACUUM}) and when done
 * by dropping time partitions. The variants run one after the other, each on fresh tables in a
 * database of the benchmark's own, after one unreported warm-up run.
 *
 * <p>Threads: {@link #run} runs on the caller's thread; each variant starts threads of its own
 * (see {@link VariantRun}) and joins them before the next.
 */
public final class RetentionCleanupBench {

    private static final Logger log = LoggerFactory.getLogger(RetentionCleanupBench.class);
    private static final List<String> SERVER_SETTINGS = List.of("shared_buffers", "synchronous_commit",
            "autovacuum", "autovacuum_naptime", "autovacuum_vacuum_threshold", "autovacuum_vacuum_scale_factor",
            "autovacuum_vacuum_cost_limit", "autovacuum_vacuum_cost_delay");

    private final CleanupSettings settings;
    private final CleanupReport report;

    public RetentionCleanupBench(CleanupSettings settings, PrintStream out) {
        this.settings = settings;
        this.report = new CleanupReport(out);
    }

    /** Runs the warm-up and the variants and prints the figures. */
    public void run() throws SQLException {
        try (BenchDatabase database = BenchDatabase.create(settings)) {
            try (Connection connection = database.connect()) {
                report.header(settings, server(connection));
            }
            VariantRun runner = new VariantRun(database, settings);
            List<Variant> variants = settings.variants().stream().map(this::variant).toList();
            if (!settings.warmup().isZero()) {
                log.info("Warm-up: {} s of batched (not reported)", settings.warmup().toSeconds());
                runner.run(variant("batched"), settings.warmup(), (minute, messages, store) -> { });
            }
            List<VariantResult> results = new ArrayList<>();
            for (Variant variant : variants) {
                log.info("Variant {}: {} s at {} msg/s", variant.name(), settings.perVariant().toSeconds(),
                        settings.rate());
                VariantResult result = runner.run(variant, settings.perVariant(), (minute, messages, store) ->
                        log.info("{} minute {}: {} messages, {} MiB, {} live / {} dead tuples, {} partitions",
                                variant.name(), minute, messages, Math.round(store.mebibytes()), store.liveTuples(),
                                store.deadTuples(), store.partitions()));
                report.minutes(result);
                results.add(result);
            }
            report.comparison(results);
            for (VariantResult result : results) {
                if (result.behindAtEnd() > settings.rate() / 10) {
                    log.warn("{} could not sustain {} msg/s: {} messages behind at the end", result.variant(),
                            settings.rate(), result.behindAtEnd());
                }
            }
        }
    }

    private Variant variant(String name) {
        return switch (name) {
            case "batched" -> new BatchedVariant(settings.retention(), false);
            case "batched-vacuum" -> new BatchedVariant(settings.retention(), true);
            case "partitioned" -> new PartitionedVariant(settings.retention(), settings.partitionWidth(), true);
            case "partitioned-nofk" -> new PartitionedVariant(settings.retention(), settings.partitionWidth(), false);
            default -> throw new IllegalArgumentException("No variant " + name);
        };
    }

    private static List<String> server(Connection connection) throws SQLException {
        List<String> server = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
                "select name, setting, coalesce(unit, '') from pg_settings where name = any(?) order by name")) {
            select.setArray(1, connection.createArrayOf("text", SERVER_SETTINGS.toArray()));
            try (ResultSet rows = select.executeQuery()) {
                server.add(version(connection));
                while (rows.next()) {
                    server.add(rows.getString(1) + "=" + rows.getString(2) + rows.getString(3));
                }
            }
        }
        server.add(Runtime.getRuntime().availableProcessors() + " CPUs");
        return server;
    }

    private static String version(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("show server_version");
                ResultSet row = select.executeQuery()) {
            row.next();
            return "PostgreSQL " + row.getString(1);
        }
    }
}
