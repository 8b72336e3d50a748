package org.reseq.bench.scenario;

import java.util.Arrays;
import java.util.Locale;
import org.reseq.bench.stack.RunNames;
import org.reseq.bench.stack.Topology;
import org.reseq.bench.workload.Workload;

/**
 * A batch: messages with transforms of 1-100 ms, all sent at once to one destination. The total
 * time is the figure, against doing the same work one message at a time (the sum of the
 * transform times, and the {@code sequential} peer).
 *
 * @param messages messages in the batch
 * @param transformMinMs the shortest transform
 * @param transformMaxMs the longest transform
 * @param senders connections to ingress
 */
public record SeedGoScenario(int messages, long transformMinMs, long transformMaxMs, int senders) implements Scenario {

    public static final String NAME = "seed-go";
    public static final int MESSAGES = 1_000;
    public static final long TRANSFORM_MIN_MS = 1;
    public static final long TRANSFORM_MAX_MS = 100;
    public static final int SENDERS = 64;

    public static SeedGoScenario defaults() {
        return new SeedGoScenario(MESSAGES, TRANSFORM_MIN_MS, TRANSFORM_MAX_MS, SENDERS);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void run(BenchContext context) {
        String variant = String.format(Locale.ROOT, "%,d at once", messages);
        Workload workload = new Workload(messages, 0, transformMinMs, transformMaxMs, context.seed());
        double sequentialSeconds = Arrays.stream(workload.transformMillis()).sum() / 1000.0;
        context.attempt(NAME, () -> {
            Topology topology = Topology.channelPerDestination(RunNames.next(), 1);
            Measurement measurement = context.measure(new RunPlan(NAME, variant, workload, topology, senders, null));
            context.report(measurement.result(String.format(Locale.ROOT,
                    "total %.1f s; the same transforms one after another take %.1f s", measurement.seconds(),
                    sequentialSeconds)));
        });
        context.runPeers(NAME, variant, workload, 1);
    }
}
