package org.reseq.bench.scenario;

import java.time.Duration;
import java.util.Locale;
import org.reseq.bench.stack.ResourceFigures;
import org.reseq.bench.stack.RunNames;
import org.reseq.bench.stack.Topology;
import org.reseq.bench.workload.Workload;

/**
 * A destination down for minutes under load: one channel to two destinations at a fixed rate;
 * the first destination answers 503 for a while, the second stays up. Redis must stay bounded
 * (the backlog waits in PostgreSQL) and everything must arrive in order once it is back. The
 * notes compare Redis's peak before, during and after the outage.
 *
 * @param rate arrivals per second
 * @param seconds how long messages arrive
 * @param outageStartSeconds when the first destination goes down, after the start
 * @param outageSeconds how long it stays down
 * @param senders connections to ingress
 */
public record OutageScenario(double rate, int seconds, int outageStartSeconds, int outageSeconds, int senders)
        implements Scenario {

    public static final String NAME = "outage";
    public static final double RATE = 200;
    public static final int SECONDS = 300;
    public static final int OUTAGE_START_SECONDS = 20;
    public static final int OUTAGE_SECONDS = 180;
    public static final int SENDERS = 64;

    public static OutageScenario defaults() {
        return new OutageScenario(RATE, SECONDS, OUTAGE_START_SECONDS, OUTAGE_SECONDS, SENDERS);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void run(BenchContext context) {
        String variant = String.format(Locale.ROOT, "%s, %d s down", Variants.rate(rate), outageSeconds);
        int messages = (int) Math.max(1, Math.round(rate * seconds));
        Workload workload = new Workload(messages, rate, 0, 0, context.seed());
        context.attempt(NAME, () -> {
            Topology topology = Topology.fanOut(RunNames.next(), 2);
            String down = topology.destinations().getFirst();
            RunPlan.Outage outage = new RunPlan.Outage(down, Duration.ofSeconds(outageStartSeconds),
                    Duration.ofSeconds(outageSeconds));
            Measurement measurement = context.measure(new RunPlan(NAME, variant, workload, topology, senders, outage));
            context.report(measurement.result(notes(measurement, down)));
        });
    }

    private String notes(Measurement measurement, String down) {
        ResourceFigures resources = measurement.resources();
        long start = measurement.startNanos();
        long from = start + Duration.ofSeconds(outageStartSeconds).toNanos();
        long until = from + Duration.ofSeconds(outageSeconds).toNanos();
        return String.format(Locale.ROOT, "%s answered 503 from %d s to %d s (%,d deliveries refused), the other"
                        + " destination stayed up; Redis peak before the outage %s, during it %s, after it %s;"
                        + " no peers: they run in memory and have no destination that can fail",
                down, outageStartSeconds, outageStartSeconds + outageSeconds, measurement.reception().refused(),
                Variants.mib(resources.redisPeakBetween(start, from)),
                Variants.mib(resources.redisPeakBetween(from, until)),
                Variants.mib(resources.redisPeakBetween(until, System.nanoTime())));
    }
}
