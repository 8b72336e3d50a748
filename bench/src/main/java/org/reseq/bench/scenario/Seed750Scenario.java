package org.reseq.bench.scenario;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.reseq.bench.measure.Distribution;
import org.reseq.bench.measure.DeliveryTimeline;
import org.reseq.bench.stack.RunNames;
import org.reseq.bench.stack.Topology;
import org.reseq.bench.workload.Workload;

/**
 * The motivating case: transforms of 500-1,000 ms on one destination, messages arriving at a
 * fixed rate (open loop) for a while. Latency must stay flat: the notes compare the median latency
 * of the first and of the last 10 s of arrivals.
 *
 * @param rates arrivals per second, one run each
 * @param seconds how long messages arrive in each run
 * @param transformMinMs the shortest transform
 * @param transformMaxMs the longest transform
 * @param senders connections to ingress
 */
public record Seed750Scenario(List<Double> rates, int seconds, long transformMinMs, long transformMaxMs, int senders)
        implements Scenario {

    public static final String NAME = "seed-750";
    public static final String RATES = "40,1000";
    public static final int SECONDS = 60;
    public static final long TRANSFORM_MIN_MS = 500;
    public static final long TRANSFORM_MAX_MS = 1000;
    public static final int SENDERS = 64;
    private static final Duration WINDOW = Duration.ofSeconds(10);

    public Seed750Scenario {
        rates = List.copyOf(rates);
    }

    public static Seed750Scenario defaults() {
        return new Seed750Scenario(List.of(40.0, 1000.0), SECONDS, TRANSFORM_MIN_MS, TRANSFORM_MAX_MS, SENDERS);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void run(BenchContext context) {
        for (double rate : rates) {
            String variant = Variants.rate(rate);
            int messages = (int) Math.max(1, Math.round(rate * seconds));
            Workload workload = new Workload(messages, rate, transformMinMs, transformMaxMs, context.seed());
            context.attempt(NAME + " / " + variant, () -> {
                Topology topology = Topology.channelPerDestination(RunNames.next(), 1);
                Measurement measurement = context.measure(new RunPlan(NAME, variant, workload, topology, senders, null));
                context.report(measurement.result(flatness(measurement, topology.destinations().getFirst())));
            });
            context.runPeers(NAME, variant, workload, 1);
        }
    }

    /** The median latency of the first and the last 10 s of arrivals. */
    private String flatness(Measurement measurement, String destination) {
        DeliveryTimeline timeline = measurement.reception().timeline(destination);
        long window = Math.min(WINDOW.toNanos(), Duration.ofSeconds(seconds).toNanos() / 2);
        long start = measurement.startNanos();
        long end = start + Duration.ofSeconds(seconds).toNanos();
        Distribution first = timeline.latencyOfArrivals(start, start + window);
        Distribution last = timeline.latencyOfArrivals(end - window, end);
        return String.format(Locale.ROOT, "latency p50 of the first %d s of arrivals %.1f ms, of the last %d s %.1f ms",
                window / 1_000_000_000L, first.p50Ms(), window / 1_000_000_000L, last.p50Ms());
    }
}
