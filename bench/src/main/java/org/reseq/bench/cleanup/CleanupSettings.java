package org.reseq.bench.cleanup;

import java.time.Duration;
import java.util.List;

/**
 * What one {@code retention-cleanup} invocation measures: where PostgreSQL is, the load, how long
 * each variant runs and the retention each cleaner applies.
 *
 * @param jdbcUrl any database on the server; the benchmark creates {@link BenchDatabase#NAME} beside it
 * @param jdbcUser the user, who must be allowed to create databases
 * @param jdbcPassword the password, empty for none
 * @param rate messages written per second
 * @param payloadBytes the payload of each message
 * @param destinationsPerMessage deliveries stored per message (the destinations every message goes to)
 * @param perVariant how long each variant runs
 * @param warmup how long an unreported run warms the JVM and the server before the first variant
 * @param retention how old a message must be before a cleaner may remove it
 * @param cleanupInterval how often the cleaner runs
 * @param partitionWidth how much time one partition holds (partitioned variant)
 * @param variants the variants to run, in order, among {@link #VARIANTS}
 */
public record CleanupSettings(String jdbcUrl, String jdbcUser, String jdbcPassword, double rate, int payloadBytes,
                              int destinationsPerMessage, Duration perVariant, Duration warmup, Duration retention,
                              Duration cleanupInterval, Duration partitionWidth, List<String> variants) {

    /** Partitions after the current one that the partitioned cleaner keeps created. */
    public static final int PARTITIONS_AHEAD = 2;

    /** The variants there are, in the order they run by default. */
    public static final List<String> VARIANTS = List.of("batched", "batched-vacuum", "partitioned",
            "partitioned-nofk");

    public CleanupSettings {
        require(rate > 0, "--rate must be positive");
        require(payloadBytes >= 0, "--payload-bytes must not be negative");
        require(destinationsPerMessage >= 1, "--destinations-per-message must be at least 1");
        require(perVariant.toSeconds() >= 1, "--minutes must be positive");
        require(!warmup.isNegative(), "--warmup-seconds must not be negative");
        require(retention.toSeconds() >= 1, "--retention-seconds must be positive");
        require(cleanupInterval.toSeconds() >= 1, "--cleanup-interval-seconds must be positive");
        require(partitionWidth.toSeconds() >= 1, "--partition-seconds must be positive");
        // The cleaner creates partitions only when it runs: two ahead must outlast one interval.
        require(partitionWidth.multipliedBy(PARTITIONS_AHEAD).compareTo(cleanupInterval) > 0,
                "--partition-seconds times " + PARTITIONS_AHEAD + " must exceed --cleanup-interval-seconds");
        variants = List.copyOf(variants);
        require(!variants.isEmpty() && VARIANTS.containsAll(variants),
                "--variants is a comma list of " + String.join(", ", VARIANTS));
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
