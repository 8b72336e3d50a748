package org.reseq.bench.stack;

import java.util.List;
import java.util.Map;

/**
 * What the suite's processes used during a run, read from the OS and from Redis.
 *
 * @param cpuSeconds user plus system CPU of the services, PostgreSQL and Redis during the run;
 *     null when none of their processes was found (a stack on another machine)
 * @param peakRssMb per kind of process, the highest sum of its processes' resident memory, in MiB
 * @param redisPeakBytes Redis {@code used_memory} at its highest; null when Redis could not be read
 * @param redisSamples every Redis reading, oldest first
 */
public record ResourceFigures(Double cpuSeconds, Map<String, Long> peakRssMb, Long redisPeakBytes,
        List<RedisSample> redisSamples) {

    /** One reading of Redis's memory. */
    public record RedisSample(long nanos, long usedBytes) {
    }

    public ResourceFigures {
        peakRssMb = Map.copyOf(peakRssMb);
        redisSamples = List.copyOf(redisSamples);
    }

    /** @return the highest Redis reading in {@code [fromNanos, untilNanos)}, or null when none */
    public Long redisPeakBetween(long fromNanos, long untilNanos) {
        return redisSamples.stream().filter(s -> s.nanos() - fromNanos >= 0 && s.nanos() - untilNanos < 0)
                .map(RedisSample::usedBytes).max(Long::compare).orElse(null);
    }
}
