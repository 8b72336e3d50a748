package org.reseq.bench.peer;

import java.lang.management.ManagementFactory;
import java.util.function.DoubleSupplier;

/**
 * The CPU a run costs: this JVM's process CPU time, plus that of the processes outside it the peer
 * relies on (PostgreSQL for the JDBC store), between {@link #start} and {@link #perThousand}.
 */
final class CpuClock {

    private final DoubleSupplier others;
    private final double jvmAtStart;
    private final Double othersAtStart;
    private String problem;

    private CpuClock(DoubleSupplier others) {
        this.others = others;
        this.othersAtStart = read(others);
        this.jvmAtStart = jvmSeconds();
    }

    /** @param others CPU seconds used so far by the other processes, or null when there are none */
    static CpuClock start(DoubleSupplier others) {
        return new CpuClock(others);
    }

    /** @return CPU seconds per 1,000 messages since the start, or null when not measurable */
    Double perThousand(long messages) {
        double jvm = jvmSeconds() - jvmAtStart;
        Double othersNow = read(others);
        if (messages == 0 || (others != null && (othersAtStart == null || othersNow == null))) {
            return null;
        }
        double total = jvm + (others == null ? 0 : othersNow - othersAtStart);
        return Math.round(total / messages * 1000 * 1_000_000) / 1_000_000.0;
    }

    /** @return why the other processes' CPU is missing, or null */
    String problem() {
        return problem;
    }

    private Double read(DoubleSupplier supplier) {
        if (supplier == null) {
            return null;
        }
        try {
            return supplier.getAsDouble();
        } catch (RuntimeException e) {
            problem = "CPU of the processes outside this JVM not measured: " + e.getMessage();
            return null;
        }
    }

    private static double jvmSeconds() {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        return os.getProcessCpuTime() / 1e9;
    }
}
