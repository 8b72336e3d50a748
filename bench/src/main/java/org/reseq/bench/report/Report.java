package org.reseq.bench.report;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import tools.jackson.databind.json.JsonMapper;

/**
 * Prints the results of a benchmark invocation: one JSON line per run as it finishes, then a
 * Markdown table of all runs and reseq's ratios to each peer of the same scenario and variant.
 */
public final class Report {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final PrintStream out;
    private final List<RunResult> results = new ArrayList<>();

    public Report(PrintStream out) {
        this.out = out;
    }

    /** Prints the run's JSON line and keeps it for the table. */
    public synchronized void add(RunResult result) {
        results.add(result);
        out.println(json(result));
        out.flush();
    }

    public synchronized List<RunResult> results() {
        return List.copyOf(results);
    }

    public static String json(RunResult result) {
        return JSON.writeValueAsString(result);
    }

    public static RunResult parse(String json) {
        return JSON.readValue(json, RunResult.class);
    }

    /** Prints a scenario's own text (a table of its own, say) as it is. */
    public synchronized void print(String text) {
        out.println();
        out.println(text);
        out.flush();
    }

    /** Prints the Markdown table and the ratios. */
    public synchronized void printSummary() {
        out.println();
        out.println(table(results));
        String ratios = ratios(results);
        if (!ratios.isEmpty()) {
            out.println();
            out.println(ratios);
        }
        out.flush();
    }

    static String table(List<RunResult> results) {
        StringBuilder table = new StringBuilder();
        table.append("| scenario | variant | system | messages | msg/s | latency p50 / p99 / max ms"
                + " | overhead p50 / p99 / max ms | CPU s per 1k | peak RSS MiB | Redis peak MiB"
                + " | violations | losses | repeats |\n");
        table.append("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: |\n");
        for (RunResult r : results) {
            table.append(String.format(Locale.ROOT, "| %s | %s | %s | %,d | %,.0f | %s | %s | %s | %s | %s | %d | %d | %d |%n",
                    r.scenario(), r.variant(), r.system(), r.messages(), r.throughput(),
                    triple(r.latency().p50Ms(), r.latency().p99Ms(), r.latency().maxMs()),
                    triple(r.overhead().p50Ms(), r.overhead().p99Ms(), r.overhead().maxMs()),
                    r.cpuSecondsPer1000() == null ? "-" : String.format(Locale.ROOT, "%.2f", r.cpuSecondsPer1000()),
                    rss(r.peakRssMb()),
                    r.redisPeakBytes() == null ? "-"
                            : String.format(Locale.ROOT, "%.1f", r.redisPeakBytes() / 1048576.0),
                    r.violations(), r.losses(), r.repeats()));
        }
        return table.toString().stripTrailing();
    }

    /** reseq's throughput and overhead against each peer run of the same scenario and variant. */
    static String ratios(List<RunResult> results) {
        StringBuilder lines = new StringBuilder();
        for (RunResult reseq : results) {
            if (!reseq.system().equals("reseq")) {
                continue;
            }
            for (RunResult peer : results) {
                if (peer.system().equals("reseq") || !peer.scenario().equals(reseq.scenario())
                        || !peer.variant().equals(reseq.variant())) {
                    continue;
                }
                lines.append(String.format(Locale.ROOT,
                        "- %s, %s: reseq vs %s: throughput x%s, overhead p99 %s ms vs %s ms, end-to-end %s s vs %s s%n",
                        reseq.scenario(), reseq.variant(), peer.system(), ratio(reseq.throughput(), peer.throughput()),
                        reseq.overhead().p99Ms(), peer.overhead().p99Ms(), reseq.seconds(), peer.seconds()));
            }
        }
        return lines.toString().stripTrailing();
    }

    private static String ratio(double a, double b) {
        return b <= 0 ? "-" : String.format(Locale.ROOT, "%.2f", a / b);
    }

    private static String triple(double p50, double p99, double max) {
        return String.format(Locale.ROOT, "%.1f / %.1f / %.1f", p50, p99, max);
    }

    private static String rss(Map<String, Long> peakRssMb) {
        if (peakRssMb.isEmpty()) {
            return "-";
        }
        return peakRssMb.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
    }
}
