package org.reseq.bench.soak;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.reseq.bench.measure.DeliveryTimeline;
import org.reseq.bench.measure.Distribution;
import org.reseq.bench.scenario.BenchContext;
import org.reseq.bench.scenario.Measurement;
import org.reseq.bench.scenario.RunPlan;
import org.reseq.bench.scenario.Scenario;
import org.reseq.bench.scenario.Variants;
import org.reseq.bench.sink.Reception;
import org.reseq.bench.stack.ResourceFigures;
import org.reseq.bench.stack.RunNames;
import org.reseq.bench.stack.Topology;
import org.reseq.bench.workload.Workload;

/**
 * A steady load for minutes, against a stack started with a short retention, to show that
 * storage stays bounded: one channel to {@code destinations} destinations at a fixed rate,
 * without transforms, each message with an {@code Idempotency-Key} and a payload of
 * {@code payloadBytes}. Prints one row per minute: latency of the messages that arrived in it,
 * table sizes and rows removed at its end (from ingress's retention metrics) and Redis's peak.
 *
 * @param rate arrivals per second
 * @param minutes how long messages arrive
 * @param payloadBytes the size of each payload
 * @param destinations destinations of the channel
 * @param senders connections to ingress
 */
public record SoakScenario(double rate, int minutes, int payloadBytes, int destinations, int senders)
        implements Scenario {

    public static final String NAME = "soak";
    public static final double RATE = 200;
    public static final int MINUTES = 10;
    public static final int PAYLOAD_BYTES = 1024;
    public static final int DESTINATIONS = 2;
    public static final int SENDERS = 64;
    private static final Duration MINUTE = Duration.ofMinutes(1);

    public SoakScenario {
        if (rate <= 0 || minutes < 1 || payloadBytes < 0 || destinations < 1) {
            throw new IllegalArgumentException("need rate > 0, minutes >= 1, payloadBytes >= 0, destinations >= 1");
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void run(BenchContext context) {
        String variant = String.format(Locale.ROOT, "%s, %d min, %d B", Variants.rate(rate), minutes, payloadBytes);
        int messages = (int) Math.round(rate * minutes * 60);
        Workload workload = new Workload(messages, rate, 0, 0, context.seed(), payloadBytes);
        context.attempt(NAME, () -> {
            Topology topology = Topology.fanOut(RunNames.next(), destinations);
            StoreWatch watch = StoreWatch.start(context.ingress(), MINUTE);
            Measurement measurement;
            List<StoreReading> readings;
            try {
                measurement = context.measure(new RunPlan(NAME, variant, workload, topology, senders, null));
            } finally {
                readings = watch.stop();
            }
            List<SoakMinute> rows = minutes(measurement, readings);
            context.report(measurement.result(notes(rows)));
            context.report().print(SoakMinute.table(rows));
        });
    }

    /** The rows, minute by minute from the first send. */
    List<SoakMinute> minutes(Measurement measurement, List<StoreReading> readings) {
        Reception reception = measurement.reception();
        ResourceFigures resources = measurement.resources();
        long start = measurement.startNanos();
        List<SoakMinute> rows = new ArrayList<>();
        StoreReading previous = readings.isEmpty() ? null : readings.getFirst();
        for (int m = 0; m < minutes; m++) {
            long from = start + MINUTE.toNanos() * m;
            long until = from + MINUTE.toNanos();
            Distribution ingest = Distribution.EMPTY;
            double deliveryP99 = 0;
            for (String destination : reception.destinations()) {
                DeliveryTimeline timeline = reception.timeline(destination);
                // Every destination sees every message arrive: the acknowledgement is the same.
                ingest = timeline.readinessOfArrivals(from, until);
                deliveryP99 = Math.max(deliveryP99, timeline.latencyOfArrivals(from, until).p99Ms());
            }
            StoreReading atEnd = latestBefore(readings, until + Duration.ofSeconds(5).toNanos());
            Long redisPeak = resources.redisPeakBetween(from, until);
            rows.add(new SoakMinute(m + 1, ingest.count(), ingest.p99Ms(), deliveryP99,
                    atEnd == null ? 0 : atEnd.tableMib("message"), atEnd == null ? 0 : atEnd.tableMib("delivery"),
                    atEnd == null ? 0 : atEnd.tableMib("idempotency_key"),
                    atEnd == null || previous == null ? 0 : atEnd.removedSince(previous, "message"),
                    atEnd == null ? 0 : atEnd.oldestMessageSeconds(),
                    redisPeak == null ? 0 : redisPeak / 1048576.0));
            if (atEnd != null) {
                previous = atEnd;
            }
        }
        return rows;
    }

    private static StoreReading latestBefore(List<StoreReading> readings, long nanos) {
        StoreReading latest = null;
        for (StoreReading reading : readings) {
            if (reading.nanos() - nanos <= 0) {
                latest = reading;
            }
        }
        return latest;
    }

    /** How much the stored tables grew over the second half of the run: flat is near zero. */
    private static String notes(List<SoakMinute> rows) {
        SoakMinute half = rows.get(rows.size() / 2);
        SoakMinute last = rows.getLast();
        double before = half.messageMib() + half.deliveryMib() + half.keysMib();
        double after = last.messageMib() + last.deliveryMib() + last.keysMib();
        long removed = rows.stream().mapToLong(SoakMinute::messagesRemoved).sum();
        return String.format(Locale.ROOT, "message, delivery and idempotency_key took %.1f MiB after minute %d and"
                        + " %.1f MiB after minute %d; retention removed %,d messages during the run", before,
                half.minute(), after, last.minute(), removed);
    }
}
