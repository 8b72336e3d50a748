package org.reseq.bench.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.reseq.bench.measure.Tally;
import org.reseq.bench.report.RunResult;
import org.reseq.bench.sink.Reception;
import org.reseq.bench.stack.ResourceFigures;

/**
 * What a reseq run measured, from which a scenario makes its {@link RunResult} with notes of its own.
 *
 * @param plan what ran
 * @param reception what each destination received, with its timeline
 * @param resources CPU, memory and Redis figures of the suite
 * @param startNanos the first send
 * @param endNanos the last delivery (or when the run gave up waiting)
 * @param acknowledged messages ingress acknowledged
 * @param provisionSeconds how long creating the destinations and channels took
 * @param stalled true when the run ended because nothing moved for the stall time
 * @param senderStats what the sender had to retry
 */
public record Measurement(RunPlan plan, Reception reception, ResourceFigures resources, long startNanos,
        long endNanos, int acknowledged, double provisionSeconds, boolean stalled, String senderStats) {

    /** @return seconds from the first send to the last delivery */
    public double seconds() {
        return (endNanos - startNanos) / 1e9;
    }

    /** @return the run's figures, with the run's own notes followed by {@code extraNotes} */
    public RunResult result(String extraNotes) {
        Tally tally = new Tally();
        for (String destination : reception.destinations()) {
            reception.timeline(destination).addTo(tally, reception.expected(destination));
        }
        long messages = reception.distinctDelivered();
        Double cpuPer1000 = resources.cpuSeconds() == null || messages == 0 ? null
                : Math.round(resources.cpuSeconds() / messages * 1000 * 1000) / 1000.0;
        List<String> notes = new ArrayList<>();
        if (extraNotes != null && !extraNotes.isBlank()) {
            notes.add(extraNotes);
        }
        notes.addAll(ownNotes());
        return RunResult.of("reseq", plan.scenario(), plan.variant(), messages, seconds(), tally, cpuPer1000,
                resources.peakRssMb(), resources.redisPeakBytes(), String.join("; ", notes));
    }

    private List<String> ownNotes() {
        List<String> notes = new ArrayList<>();
        if (stalled) {
            long expected = reception.destinations().stream().mapToLong(reception::expected).sum();
            notes.add(String.format(Locale.ROOT, "stopped waiting after nothing moved: %,d of %,d deliveries missing,"
                    + " %,d of %,d messages acknowledged", expected - reception.distinctDelivered(), expected,
                    acknowledged, plan.workload().messages()));
        }
        if (!senderStats.isEmpty()) {
            notes.add("sender retries: " + senderStats);
        }
        if (resources.cpuSeconds() == null) {
            notes.add("CPU and memory not measured: no process of the suite on this machine");
        }
        return notes;
    }
}
