package org.reseq.bench.scenario;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.reseq.bench.stack.Provisioned;
import org.reseq.bench.stack.RunNames;
import org.reseq.bench.stack.Topology;
import org.reseq.bench.system.OsProcess;
import org.reseq.bench.system.OsProcesses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What destinations cost while nothing happens: the suite's CPU per process kind over a quiet
 * interval, first with the stack as it is, then with {@code destinations} more destinations (one
 * channel each, leased and polled by their leaders, no messages). The difference is what the
 * idle destinations cost, as a share of one core.
 *
 * @param destinations destinations to create
 * @param seconds length of each measured interval
 * @param settle wait after creating them, so that their leases are taken and leaders started
 */
public record IdleScenario(int destinations, int seconds, Duration settle) implements Scenario {

    public static final String NAME = "idle";
    public static final int DESTINATIONS = 1000;
    public static final int SECONDS = 60;
    private static final Logger log = LoggerFactory.getLogger(IdleScenario.class);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void run(BenchContext context) {
        context.attempt(NAME, () -> {
            Map<String, Double> before = shareOfACorePerKind(seconds);
            Topology topology = Topology.channelPerDestination(RunNames.next(), destinations);
            try (Provisioned ignored = context.provisioner().provision(topology, context.sink()::sinkUrl, null)) {
                log.info("{} destinations created; waiting {} s for their leaders", destinations, settle.toSeconds());
                Thread.sleep(settle.toMillis());
                Map<String, Double> with = shareOfACorePerKind(seconds);
                context.report().print(table(before, with));
            }
        });
    }

    /** CPU used per process kind over {@code interval} seconds, as a share of one core. */
    private static Map<String, Double> shareOfACorePerKind(int interval) throws InterruptedException {
        Map<String, List<OsProcess>> byKind = OsProcesses.suite().stream()
                .collect(Collectors.groupingBy(OsProcess::kind, TreeMap::new, Collectors.toList()));
        Map<String, Double> start = new LinkedHashMap<>();
        byKind.forEach((kind, processes) -> start.put(kind, OsProcesses.cpuSeconds(processes)));
        long began = System.nanoTime();
        Thread.sleep(Duration.ofSeconds(interval));
        double elapsed = (System.nanoTime() - began) / 1e9;
        Map<String, Double> share = new LinkedHashMap<>();
        byKind.forEach((kind, processes) ->
                share.put(kind, (OsProcesses.cpuSeconds(processes) - start.get(kind)) / elapsed));
        return share;
    }

    private String table(Map<String, Double> before, Map<String, Double> with) {
        StringBuilder text = new StringBuilder("\n| process | % of a core, stack alone | with " + destinations
                + " idle destinations | difference |\n| --- | ---: | ---: | ---: |\n");
        double totalBefore = 0;
        double totalWith = 0;
        for (String kind : with.keySet()) {
            double b = before.getOrDefault(kind, 0.0);
            double w = with.get(kind);
            totalBefore += b;
            totalWith += w;
            text.append(row(kind, b, w));
        }
        text.append(row("**all**", totalBefore, totalWith));
        text.append(String.format(Locale.ROOT, "%n%d idle destinations cost %.1f %% of one core across the suite"
                + " (%d s each, after %d s to settle)%n", destinations, 100 * (totalWith - totalBefore), seconds,
                settle.toSeconds()));
        return text.toString();
    }

    private static String row(String kind, double before, double with) {
        return String.format(Locale.ROOT, "| %s | %.1f | %.1f | %+.1f |%n", kind, 100 * before, 100 * with,
                100 * (with - before));
    }
}
