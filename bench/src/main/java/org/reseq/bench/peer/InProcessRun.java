package org.reseq.bench.peer;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.DoubleSupplier;
import org.reseq.bench.measure.Tally;
import org.reseq.bench.report.RunResult;
import org.reseq.bench.workload.Workload;

/**
 * Runs a workload through a peer in this JVM and measures it, identically for every peer.
 *
 * <p>Message {@code i} (from 0) goes to destination {@code i % destinations} and takes that
 * destination's next sequence (from 1). It arrives at {@link Workload#arrivalOffsetNanos} after the
 * start (open loop), or, unpaced, as soon as its destination has fewer than
 * {@value #IN_FLIGHT_PER_DESTINATION} messages undelivered, mirroring reseq's dispatch window. A
 * paced message's arrival is its scheduled time, so a peer that holds the sender up pays for it in
 * latency; an unpaced one's is the moment it was admitted.
 *
 * <p>The run stops admitting arrivals after {@code maxRunTime} and waits at most {@link #DRAIN}
 * more for the peer to deliver what it took. The figures then cover the messages generated; when
 * the drain ran out, the undelivered tail of each destination (after its highest delivered
 * sequence) is left out of them and counted in the notes, while a hole below it is a loss. When
 * the peer failed, every message it did not deliver is a loss.
 */
final class InProcessRun {

    static final int IN_FLIGHT_PER_DESTINATION = 1_000;
    static final Duration DRAIN = Duration.ofSeconds(30);

    private final Workload workload;
    private final int destinations;
    private final Duration maxRunTime;
    private final Duration drain;

    InProcessRun(Workload workload, int destinations, Duration maxRunTime) {
        this(workload, destinations, maxRunTime, DRAIN);
    }

    InProcessRun(Workload workload, int destinations, Duration maxRunTime, Duration drain) {
        if (destinations < 1) {
            throw new IllegalArgumentException("destinations must be positive: " + destinations);
        }
        this.workload = workload;
        this.destinations = destinations;
        this.maxRunTime = maxRunTime;
        this.drain = drain;
    }

    /**
     * @param system the peer's name
     * @param stages opens the peer for this run (its set-up is not measured)
     * @param otherCpuSeconds CPU seconds used so far by processes outside this JVM that the peer
     *     relies on (PostgreSQL), or null
     * @param setup what the reader needs to know about the peer's configuration
     */
    RunResult run(String system, String scenario, String variant, Stage.Factory stages,
            DoubleSupplier otherCpuSeconds, String setup) throws Exception {
        long[] transformMillis = workload.transformMillis();
        int expectedPerDestination = (workload.messages() + destinations - 1) / destinations;
        RunRecorder recorder = new RunRecorder(destinations, expectedPerDestination, IN_FLIGHT_PER_DESTINATION);
        List<String> notes = new ArrayList<>();
        if (setup != null && !setup.isBlank()) {
            notes.add(setup);
        }
        int generated;
        long start;
        boolean drained;
        Double cpuSecondsPer1000;
        try (Stage stage = stages.open(recorder)) {
            CpuClock cpu = CpuClock.start(otherCpuSeconds);
            start = System.nanoTime();
            long stopArrivals = start + maxRunTime.toNanos();
            generated = generate(stage, recorder, transformMillis, start, stopArrivals);
            long drainDeadline = Math.max(System.nanoTime(), stopArrivals) + drain.toNanos();
            drained = awaitDelivered(recorder, generated, drainDeadline);
            cpuSecondsPer1000 = cpu.perThousand(recorder.delivered());
            recorder.end();
            if (cpu.problem() != null) {
                notes.add(cpu.problem());
            }
        }
        return result(system, scenario, variant, recorder, generated, start, drained, cpuSecondsPer1000, notes);
    }

    private int generate(Stage stage, RunRecorder recorder, long[] transformMillis, long start, long stopArrivals)
            throws InterruptedException {
        for (int i = 0; i < workload.messages(); i++) {
            long due = start + workload.arrivalOffsetNanos(i);
            if (due - stopArrivals > 0) {
                return i;
            }
            for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                LockSupport.parkNanos(wait);
            }
            int destination = i % destinations;
            if (!recorder.admit(destination, stopArrivals)) {
                return i;
            }
            long arrived = workload.paced() ? due : System.nanoTime();
            long sequence = i / destinations + 1;
            recorder.arrived(destination, sequence, arrived);
            stage.arrived(destination, sequence, transformMillis[i], arrived);
        }
        return workload.messages();
    }

    private static boolean awaitDelivered(RunRecorder recorder, int generated, long deadline) {
        while (recorder.delivered() < generated && recorder.failure() == null) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        return recorder.failure() == null;
    }

    private RunResult result(String system, String scenario, String variant, RunRecorder recorder, int generated,
            long start, boolean drained, Double cpuSecondsPer1000, List<String> notes) {
        Tally tally = new Tally();
        long undelivered = 0;
        // A drain cut short leaves each destination's tail in flight: not lost, just unfinished. After
        // a failure, though, whatever did not arrive is lost.
        boolean unfinished = !drained && recorder.failure() == null;
        for (int d = 0; d < destinations; d++) {
            int generatedHere = generated / destinations + (d < generated % destinations ? 1 : 0);
            int counted = unfinished ? (int) Math.min(generatedHere, recorder.highestReceived(d)) : generatedHere;
            undelivered += generatedHere - counted;
            if (counted > 0) {
                recorder.addTo(tally, d, counted);
            }
        }
        Throwable failure = recorder.failure();
        if (failure != null) {
            notes.add(String.format(Locale.ROOT, "failed after %,d of %,d messages: %s", generated,
                    workload.messages(), rootCause(failure)));
        } else if (generated < workload.messages()) {
            notes.add(String.format(Locale.ROOT, "capped at %s s: %,d of %,d messages", seconds(maxRunTime),
                    generated, workload.messages()));
        }
        if (undelivered > 0) {
            notes.add(String.format(Locale.ROOT, "%,d still undelivered after the %s s drain, left out of the figures",
                    undelivered, seconds(drain)));
        }
        long last = recorder.lastDeliveryNanos();
        double elapsed = last == Long.MIN_VALUE ? 0 : (last - start) / 1e9;
        return RunResult.of(system, scenario, variant, recorder.delivered(), elapsed, tally, cpuSecondsPer1000,
                Map.of(), null, String.join("; ", notes));
    }

    /** The innermost cause: the wrappers of messaging frameworks say little. */
    private static String rootCause(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.toString();
    }

    private static String seconds(Duration duration) {
        return BigDecimal.valueOf(duration.toMillis(), 3).stripTrailingZeros().toPlainString();
    }
}
