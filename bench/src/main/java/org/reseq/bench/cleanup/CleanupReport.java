package org.reseq.bench.cleanup;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.reseq.bench.measure.Distribution;

/**
 * Prints the figures to standard output as Markdown: the settings and the server's, one table of
 * minutes per variant as it finishes, then one table comparing the variants.
 *
 * <p>Not thread-safe: used by the thread that runs the benchmark.
 */
final class CleanupReport {

    private final PrintStream out;

    CleanupReport(PrintStream out) {
        this.out = out;
    }

    void header(CleanupSettings settings, List<String> server) {
        out.printf(Locale.ROOT, "# retention-cleanup: batched deletes vs dropping partitions%n%n");
        out.printf(Locale.ROOT, "rate %s msg/s, payload %d B, %d deliveries per message, %d s per variant"
                        + " (after %d s of unreported warm-up), retention %d s, cleanup every %d s,"
                        + " partitions %d s wide (%d kept ahead)%n%n",
                number(settings.rate()), settings.payloadBytes(), settings.destinationsPerMessage(),
                settings.perVariant().toSeconds(), settings.warmup().toSeconds(), settings.retention().toSeconds(),
                settings.cleanupInterval().toSeconds(), settings.partitionWidth().toSeconds(),
                CleanupSettings.PARTITIONS_AHEAD);
        out.println("server: " + String.join(", ", server));
        out.println();
        if (server.contains("autovacuum=off")) {
            out.println("Autovacuum is off on this server: nothing reclaims the dead tuples of `batched`;"
                    + " `batched-vacuum` vacuums both tables at the end of every cleaner run instead.");
            out.println();
        }
        out.flush();
    }

    void minutes(VariantResult result) {
        out.printf(Locale.ROOT, "## %s, per minute%n%n", result.variant());
        out.println("| minute | messages inserted | commit p99 / max ms | cleanups (msgs removed) | size MiB"
                + " | live tuples | dead tuples | partitions |");
        out.println("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (VariantResult.Minute minute : result.minutes()) {
            out.printf(Locale.ROOT, "| %d | %,d | %s / %s | %d (%,d) | %.1f | %,d | %,d | %d |%n", minute.minute(),
                    minute.messages(), ms(minute.commits().p99Ms()), ms(minute.commits().maxMs()),
                    minute.cleanupRuns(), minute.removedMessages(), minute.store().mebibytes(),
                    minute.store().liveTuples(), minute.store().deadTuples(), minute.store().partitions());
        }
        out.println();
        out.flush();
    }

    void comparison(List<VariantResult> results) {
        out.println("## Comparison");
        out.println();
        out.println("| | " + results.stream().map(VariantResult::variant).collect(Collectors.joining(" | ")) + " |");
        out.println("| --- |" + " ---: |".repeat(results.size()));
        row(results, "messages inserted (deliveries)", r -> String.format(Locale.ROOT, "%,d (%,d)", r.messages(),
                r.deliveries()));
        row(results, "achieved msg/s", r -> number(r.rate()));
        row(results, "writer: most messages due at a tick / behind at end", r -> r.maxBacklog() + " / " + r.behindAtEnd());
        row(results, "commits", r -> String.format(Locale.ROOT, "%,d", r.commits().count()));
        row(results, "commit p50 / p99 / max ms", r -> triple(r.commits()));
        row(results, "commit p99 during cleanup / outside ms", r -> p99(r.commitsDuring()) + " / "
                + p99(r.commitsOutside()));
        row(results, "commit max during cleanup / outside ms", r -> max(r.commitsDuring()) + " / "
                + max(r.commitsOutside()));
        row(results, "commits during cleanup", r -> String.format(Locale.ROOT, "%,d", r.commitsDuring().count()));
        row(results, "deliveries read (reads)", r -> String.format(Locale.ROOT, "%,d (%,d)", r.deliveriesRead(),
                r.reads().count()));
        row(results, "read p50 / p99 / max ms", r -> triple(r.reads()));
        row(results, "read p99 during cleanup / outside ms", r -> p99(r.readsDuring()) + " / "
                + p99(r.readsOutside()));
        row(results, "cleanup runs", r -> Integer.toString(r.cleanupRuns()));
        row(results, "removed: messages / deliveries", r -> String.format(Locale.ROOT, "%,d / %,d",
                r.removed().messages(), r.removed().deliveries()));
        row(results, "partitions dropped / created", r -> r.removed().partitionsDropped() + " / "
                + r.removed().partitionsCreated());
        row(results, "longest cleanup run ms", r -> ms(r.longestCleanupMs()));
        row(results, "time spent cleaning s", r -> String.format(Locale.ROOT, "%.1f", r.cleaningSeconds()));
        row(results, "size at end of each minute MiB", r -> r.minutes().stream()
                .map(m -> mib(m.store().bytes())).collect(Collectors.joining(", ")));
        row(results, "largest size, seen just before a cleanup run, MiB", r -> mib(r.peakBytes()));
        row(results, "live tuples at end", r -> String.format(Locale.ROOT, "%,d", r.last().liveTuples()));
        row(results, "dead tuples at end", r -> String.format(Locale.ROOT, "%,d", r.last().deadTuples()));
        row(results, "longest lock wait writer / reader ms (sampled every " + LockWaitSampler.EVERY_MILLIS + " ms)",
                r -> ms(r.writerLockWaitMs()) + " / " + ms(r.readerLockWaitMs()));
        row(results, "lock of the longest wait, writer / reader", r -> orNone(r.writerLock()) + " / "
                + orNone(r.readerLock()));
        out.println();
        out.flush();
    }

    private void row(List<VariantResult> results, String label, Function<VariantResult, String> cell) {
        out.println("| " + label + " | " + results.stream().map(cell).collect(Collectors.joining(" | ")) + " |");
    }

    private static String triple(Distribution distribution) {
        return ms(distribution.p50Ms()) + " / " + ms(distribution.p99Ms()) + " / " + ms(distribution.maxMs());
    }

    private static String orNone(String text) {
        return text.isEmpty() ? "-" : text;
    }

    private static String p99(Distribution distribution) {
        return distribution.count() == 0 ? "-" : ms(distribution.p99Ms());
    }

    private static String max(Distribution distribution) {
        return distribution.count() == 0 ? "-" : ms(distribution.maxMs());
    }

    private static String mib(long bytes) {
        double mebibytes = bytes / 1048576.0;
        return String.format(Locale.ROOT, mebibytes < 10 ? "%.1f" : "%.0f", mebibytes);
    }

    private static String ms(double millis) {
        return millis >= 100 ? String.format(Locale.ROOT, "%.0f", millis) : String.format(Locale.ROOT, "%.1f", millis);
    }

    private static String number(double value) {
        return value == Math.rint(value) ? String.format(Locale.ROOT, "%.0f", value)
                : String.format(Locale.ROOT, "%.1f", value);
    }
}
