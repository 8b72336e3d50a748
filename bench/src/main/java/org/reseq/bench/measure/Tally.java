package org.reseq.bench.measure;

import java.util.Arrays;

/**
 * Collects the raw figures of one run across its destinations ({@link DeliveryTimeline#addTo}),
 * so that percentiles are taken over every message, not averaged per destination. One thread.
 */
public final class Tally {

    private long[] latency = new long[1024];
    private int latencies;
    private long[] overhead = new long[1024];
    private int overheads;
    private long losses;
    private long violations;
    private long repeats;

    void latency(long nanos) {
        if (latencies == latency.length) {
            latency = Arrays.copyOf(latency, latencies * 2);
        }
        latency[latencies++] = Math.max(0, nanos);
    }

    void overhead(long nanos) {
        if (overheads == overhead.length) {
            overhead = Arrays.copyOf(overhead, overheads * 2);
        }
        overhead[overheads++] = Math.max(0, nanos);
    }

    void lost() {
        losses++;
    }

    void add(long violations, long repeats) {
        this.violations += violations;
        this.repeats += repeats;
    }

    public Distribution latency() {
        return Distribution.ofNanos(latency, latencies);
    }

    public Distribution overhead() {
        return Distribution.ofNanos(overhead, overheads);
    }

    public long losses() {
        return losses;
    }

    public long violations() {
        return violations;
    }

    public long repeats() {
        return repeats;
    }
}
