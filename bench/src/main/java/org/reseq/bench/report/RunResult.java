package org.reseq.bench.report;

import java.util.Map;
import org.reseq.bench.measure.Distribution;
import org.reseq.bench.measure.Tally;

/**
 * The figures of one run of one system on one workload: one JSON line, one table row.
 *
 * @param system {@code reseq}, or the peer's name ({@code camel-stream}, {@code si-simple},
 *     {@code si-jdbc}, {@code sequential})
 * @param scenario the scenario name ({@code throughput}, {@code seed-750}, ...)
 * @param variant what distinguishes runs of one scenario ({@code 10 destinations}, {@code 40/s})
 * @param messages messages delivered (first receipts), across destinations
 * @param seconds from the first send to the last delivery
 * @param throughput messages delivered per second
 * @param latency delivery minus send
 * @param overhead delivery minus the moment it could first have been delivered in order
 * @param violations first receipts out of order
 * @param losses sequences never received
 * @param repeats receipts of a sequence received before
 * @param cpuSecondsPer1000 CPU seconds per 1,000 messages of every process involved (for reseq:
 *     the services, PostgreSQL and Redis; for a peer: the benchmark's JVM, plus PostgreSQL when
 *     it uses it); null when not measured
 * @param peakRssMb peak resident memory per process kind, in MiB
 * @param redisPeakBytes Redis {@code used_memory} at its highest during the run; null when not used
 * @param notes anything a reader needs to read the figures right
 */
public record RunResult(String system, String scenario, String variant, long messages, double seconds,
        double throughput, Distribution latency, Distribution overhead, long violations, long losses, long repeats,
        Double cpuSecondsPer1000, Map<String, Long> peakRssMb, Long redisPeakBytes, String notes) {

    /** The result of a run whose sequence-level figures are in {@code tally}. */
    public static RunResult of(String system, String scenario, String variant, long messages, double seconds,
            Tally tally, Double cpuSecondsPer1000, Map<String, Long> peakRssMb, Long redisPeakBytes, String notes) {
        double throughput = seconds > 0 ? Math.round(messages / seconds * 10) / 10.0 : 0;
        return new RunResult(system, scenario, variant, messages, Math.round(seconds * 1000) / 1000.0, throughput,
                tally.latency(), tally.overhead(), tally.violations(), tally.losses(), tally.repeats(),
                cpuSecondsPer1000, peakRssMb == null ? Map.of() : Map.copyOf(peakRssMb), redisPeakBytes,
                notes == null ? "" : notes);
    }

    /** @return true when every message arrived once, in order */
    public boolean clean() {
        return violations == 0 && losses == 0;
    }
}
