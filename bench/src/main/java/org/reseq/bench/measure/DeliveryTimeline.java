package org.reseq.bench.measure;

import java.io.IOException;
import java.util.Arrays;

/**
 * What happened to each sequence of one destination, as seen by the benchmark, and the figures
 * that follow from it. Times are {@link System#nanoTime()} values of the benchmark's JVM.
 *
 * <ul>
 *   <li>{@link #arrived}: the moment the sender sent the message (for reseq: the POST that got the
 *       202 naming this sequence).
 *   <li>{@link #ready}: the earliest moment the message itself could be delivered: its transform
 *       reported completion (the first report counts), or, without a transform, its arrival was
 *       acknowledged.
 *   <li>{@link #delivered}: the destination received it (the first receipt counts; later ones are
 *       repeats).
 * </ul>
 *
 * <p>Resequencing overhead of sequence n is its delivery minus the latest ready time among
 * sequences 1..n: before that moment no system could have delivered it in order.
 *
 * <p>Thread-safe: senders, transform callbacks and the sink record from their own threads.
 */
public final class DeliveryTimeline {

    private static final long NONE = Long.MIN_VALUE;

    private long[] arrived;
    private long[] ready;
    private long[] delivered;
    private long highestDelivered;
    private long deliveries;
    private long repeats;
    private long violations;

    /** @param expected the sequences expected (1..expected); more are accepted and grow the arrays */
    public DeliveryTimeline(int expected) {
        int size = Math.max(16, expected + 1);
        arrived = filled(size);
        ready = filled(size);
        delivered = filled(size);
    }

    public synchronized void arrived(long sequence, long nanos) {
        ensure(sequence);
        if (arrived[(int) sequence] == NONE) {
            arrived[(int) sequence] = nanos;
        }
    }

    public synchronized void ready(long sequence, long nanos) {
        ensure(sequence);
        if (ready[(int) sequence] == NONE) {
            ready[(int) sequence] = nanos;
        }
    }

    /**
     * Records a receipt: a first receipt of anything but the next sequence is an order violation;
     * a receipt of a sequence received before is a repeat.
     */
    public synchronized void delivered(long sequence, long nanos) {
        ensure(sequence);
        deliveries++;
        if (delivered[(int) sequence] != NONE) {
            repeats++;
            return;
        }
        delivered[(int) sequence] = nanos;
        if (sequence != highestDelivered + 1) {
            violations++;
        }
        highestDelivered = Math.max(highestDelivered, sequence);
    }

    /** @return how many first receipts so far */
    public synchronized long distinctDelivered() {
        return deliveries - repeats;
    }

    /** @return every receipt so far, repeats included */
    public synchronized long deliveries() {
        return deliveries;
    }

    /** Adds the figures of sequences 1..expected to {@code tally}. */
    public synchronized void addTo(Tally tally, int expected) {
        long[] deliverable = deliverableTimes(expected);
        for (int sequence = 1; sequence <= expected; sequence++) {
            long deliveredAt = delivered[sequence];
            if (deliveredAt == NONE) {
                tally.lost();
                continue;
            }
            if (arrived[sequence] != NONE) {
                tally.latency(deliveredAt - arrived[sequence]);
            }
            if (deliverable[sequence] != NONE) {
                tally.overhead(deliveredAt - deliverable[sequence]);
            }
        }
        tally.add(violations, repeats);
    }

    /**
     * Writes sequences 1..expected as CSV, one line each: when it arrived, was ready, became
     * deliverable in order and was delivered, in microseconds after {@code originNanos}, and its
     * overhead; a field is empty when it did not happen. For looking at where an overhead came
     * from, message by message.
     */
    public synchronized void writeCsv(Appendable out, long originNanos, int expected) throws IOException {
        long[] deliverable = deliverableTimes(expected);
        out.append("sequence,arrived_us,ready_us,deliverable_us,delivered_us,overhead_us\n");
        for (int sequence = 1; sequence <= expected; sequence++) {
            long deliveredAt = delivered[sequence];
            out.append(Integer.toString(sequence)).append(',')
                    .append(micros(arrived[sequence], originNanos)).append(',')
                    .append(micros(ready[sequence], originNanos)).append(',')
                    .append(micros(deliverable[sequence], originNanos)).append(',')
                    .append(micros(deliveredAt, originNanos)).append(',')
                    .append(deliveredAt == NONE || deliverable[sequence] == NONE ? ""
                            : Long.toString((deliveredAt - deliverable[sequence]) / 1_000))
                    .append('\n');
        }
    }

    /**
     * For each of sequences 1..expected, the earliest moment it could be delivered in order: the
     * latest of the moments it and every earlier sequence were ready (a transform's completion, or
     * without one the arrival); {@code NONE} while none of them was.
     */
    private long[] deliverableTimes(int expected) {
        if (expected > 0) {
            ensure(expected);
        }
        long[] deliverable = new long[Math.max(expected, 0) + 1];
        long horizon = NONE;
        for (int sequence = 1; sequence <= expected; sequence++) {
            long readyAt = ready[sequence] != NONE ? ready[sequence] : arrived[sequence];
            if (readyAt != NONE) {
                horizon = Math.max(horizon, readyAt);
            }
            deliverable[sequence] = horizon;
        }
        return deliverable;
    }

    private static String micros(long nanos, long originNanos) {
        return nanos == NONE ? "" : Long.toString((nanos - originNanos) / 1_000);
    }

    /**
     * @return the latency of the delivered sequences that arrived in {@code [fromNanos, untilNanos)},
     *     to see whether latency grew during a run
     */
    public synchronized Distribution latencyOfArrivals(long fromNanos, long untilNanos) {
        return sinceArrival(delivered, fromNanos, untilNanos);
    }

    /**
     * @return from arrival to ready, for the sequences that arrived in {@code [fromNanos,
     *     untilNanos)} and were ready: without transforms, how long ingress took to acknowledge
     */
    public synchronized Distribution readinessOfArrivals(long fromNanos, long untilNanos) {
        return sinceArrival(ready, fromNanos, untilNanos);
    }

    private Distribution sinceArrival(long[] moments, long fromNanos, long untilNanos) {
        long[] durations = new long[arrived.length];
        int count = 0;
        for (int sequence = 1; sequence < arrived.length; sequence++) {
            long arrivedAt = arrived[sequence];
            if (arrivedAt == NONE || moments[sequence] == NONE
                    || arrivedAt - fromNanos < 0 || arrivedAt - untilNanos >= 0) {
                continue;
            }
            durations[count++] = Math.max(0, moments[sequence] - arrivedAt);
        }
        return Distribution.ofNanos(durations, count);
    }

    private void ensure(long sequence) {
        if (sequence < 1 || sequence > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("sequence out of range: " + sequence);
        }
        if (sequence < arrived.length) {
            return;
        }
        int size = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(sequence + 1, arrived.length * 2L));
        arrived = grown(arrived, size);
        ready = grown(ready, size);
        delivered = grown(delivered, size);
    }

    private static long[] filled(int size) {
        long[] values = new long[size];
        Arrays.fill(values, NONE);
        return values;
    }

    private static long[] grown(long[] values, int size) {
        long[] bigger = Arrays.copyOf(values, size);
        Arrays.fill(bigger, values.length, size, NONE);
        return bigger;
    }
}
