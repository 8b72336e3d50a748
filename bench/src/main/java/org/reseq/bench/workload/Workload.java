package org.reseq.bench.workload;

import java.util.SplittableRandom;

/**
 * What a run asks of a resequencer, the same for reseq and for every peer: how many messages, how
 * fast they arrive, and how long each one's transform takes.
 *
 * <p>Transform times are drawn uniformly from {@code [transformMinMs, transformMaxMs]} from a
 * seeded generator, so message {@code i} takes the same time in every system of a run.
 *
 * @param messages messages in the run, across all destinations
 * @param arrivalsPerSecond the arrival rate; 0 sends as fast as the system takes them
 * @param transformMinMs the shortest transform
 * @param transformMaxMs the longest transform
 * @param seed the seed of the transform times
 * @param payloadBytes the size each payload is padded to (0: as short as it comes; peers ignore it)
 */
public record Workload(int messages, double arrivalsPerSecond, long transformMinMs, long transformMaxMs, long seed,
        int payloadBytes) {

    /** A workload of short payloads. */
    public Workload(int messages, double arrivalsPerSecond, long transformMinMs, long transformMaxMs, long seed) {
        this(messages, arrivalsPerSecond, transformMinMs, transformMaxMs, seed, 0);
    }

    public Workload {
        if (payloadBytes < 0) {
            throw new IllegalArgumentException("payloadBytes must not be negative");
        }
        if (messages < 1) {
            throw new IllegalArgumentException("messages must be positive");
        }
        if (arrivalsPerSecond < 0) {
            throw new IllegalArgumentException("arrivalsPerSecond must not be negative");
        }
        if (transformMinMs < 0 || transformMaxMs < transformMinMs) {
            throw new IllegalArgumentException("need 0 <= transformMinMs <= transformMaxMs");
        }
    }

    /** @return true when messages arrive at a fixed rate (open loop), false when as fast as taken */
    public boolean paced() {
        return arrivalsPerSecond > 0;
    }

    /** @return the moment message {@code index} (from 0) is due, in nanoseconds after the start */
    public long arrivalOffsetNanos(int index) {
        return paced() ? (long) (index * 1_000_000_000.0 / arrivalsPerSecond) : 0;
    }

    /** @return the transform time of every message, in milliseconds, indexed from 0 */
    public long[] transformMillis() {
        SplittableRandom random = new SplittableRandom(seed);
        long[] millis = new long[messages];
        for (int i = 0; i < messages; i++) {
            millis[i] = transformMinMs == transformMaxMs ? transformMinMs
                    : random.nextLong(transformMinMs, transformMaxMs + 1);
        }
        return millis;
    }

    /** @return true when every transform takes no time */
    public boolean zeroCostTransform() {
        return transformMaxMs == 0;
    }
}
