package org.reseq.bench.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads the suite's processes, their CPU time and resident memory from Linux's {@code /proc}.
 *
 * <p>A service is recognised by its name in the command line (its runnable jar), PostgreSQL and
 * Redis by their process names. PostgreSQL forks a process per connection: its CPU is the sum over
 * the live processes plus what the reaped ones used (their parent's {@code cutime}/{@code cstime}),
 * so that a connection closed during a run still counts.
 *
 * <p>On a system without {@code /proc} every list is empty and every figure 0.
 */
public final class OsProcesses {

    static final List<String> SERVICES =
            List.of("ingress-service", "transform-worker", "resequencer-service", "egress-service");
    /** Linux's USER_HZ, the unit of the CPU times in /proc/[pid]/stat; 100 on every common kernel. */
    private static final double TICKS_PER_SECOND = 100.0;
    private static final Path PROC = Path.of("/proc");

    private OsProcesses() {
    }

    /** @return the running services' JVMs, PostgreSQL's processes and redis-server */
    public static List<OsProcess> suite() {
        return all().stream().filter(p -> !p.kind().isEmpty()).toList();
    }

    /** @return PostgreSQL's processes */
    public static List<OsProcess> postgres() {
        return all().stream().filter(p -> p.kind().equals("postgres")).toList();
    }

    /** @return user plus system CPU seconds the processes used so far, with their reaped children */
    public static double cpuSeconds(Collection<OsProcess> processes) {
        long ticks = 0;
        for (OsProcess process : processes) {
            ticks += stat(process.pid()).map(OsProcesses::cpuTicks).orElse(0L);
        }
        return ticks / TICKS_PER_SECOND;
    }

    /**
     * @return the process's resident memory in bytes, counted proportionally (PSS: a page shared
     *     by n processes counts 1/n in each), so that PostgreSQL's shared buffers, mapped by every
     *     backend, count once across its processes; plain RSS where PSS cannot be read; 0 when
     *     the process is gone
     */
    public static long rssBytes(OsProcess process) {
        long pss = kibibytes(PROC.resolve(process.pid() + "/smaps_rollup"), "Pss:");
        return pss > 0 ? pss : kibibytes(PROC.resolve(process.pid() + "/status"), "VmRSS:");
    }

    private static long kibibytes(Path file, String field) {
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // Gone, not readable, or not Linux: nothing known.
        }
        return 0;
    }

    private static List<OsProcess> all() {
        List<OsProcess> processes = new ArrayList<>();
        try (Stream<Path> entries = Files.list(PROC)) {
            entries.map(p -> p.getFileName().toString()).filter(name -> name.chars().allMatch(Character::isDigit))
                    .forEach(pid -> kindOf(pid).ifPresent(kind -> processes.add(new OsProcess(Long.parseLong(pid), kind))));
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
        return processes;
    }

    private static Optional<String> kindOf(String pid) {
        try {
            String comm = Files.readString(PROC.resolve(pid + "/comm"), StandardCharsets.UTF_8).strip();
            if (comm.equals("postgres")) {
                return Optional.of("postgres");
            }
            if (comm.equals("redis-server")) {
                return Optional.of("redis");
            }
            if (!comm.equals("java")) {
                return Optional.empty();
            }
            String command = Files.readString(PROC.resolve(pid + "/cmdline"), StandardCharsets.UTF_8);
            return SERVICES.stream().filter(service -> command.contains(service + "-")).findFirst();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> stat(long pid) {
        try {
            return Optional.of(Files.readString(PROC.resolve(pid + "/stat"), StandardCharsets.US_ASCII));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** utime + stime + cutime + cstime: fields 14 to 17, counted after the parenthesised name. */
    static long cpuTicks(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // fields[0] is field 3 (state), so field n is fields[n - 3].
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]) + Long.parseLong(fields[13])
                + Long.parseLong(fields[14]);
    }
}
