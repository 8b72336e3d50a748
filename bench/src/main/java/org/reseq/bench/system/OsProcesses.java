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
     * @return the process's resident memory, from the kernel's counters in {@code /proc/[pid]/status}
     *     (cheap to read, unlike {@code smaps}, which walks the process's page tables under its
     *     memory lock and would slow the services it measures); zeros when the process is gone
     */
    public static Residency residency(OsProcess process) {
        long anon = 0;
        long file = 0;
        long shmem = 0;
        try {
            for (String line : Files.readAllLines(PROC.resolve(process.pid() + "/status"))) {
                if (line.startsWith("RssAnon:")) {
                    anon = kibibytes(line);
                } else if (line.startsWith("RssFile:")) {
                    file = kibibytes(line);
                } else if (line.startsWith("RssShmem:")) {
                    shmem = kibibytes(line);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Gone, not readable, or not Linux: nothing known.
        }
        return new Residency(anon, file, shmem);
    }

    /**
     * Resident memory of one process, in bytes.
     *
     * @param privateBytes anonymous memory: the process's own heap and stacks
     * @param fileBytes mapped files (code and libraries), which processes of the same program share
     * @param sharedBytes shared memory (PostgreSQL's shared buffers), mapped by all its processes
     */
    public record Residency(long privateBytes, long fileBytes, long sharedBytes) {
    }

    /**
     * @return the resident memory of processes of one kind together: their private memory added
     *     up, what they share (mapped files, shared memory) counted once, as the largest share any
     *     of them maps; for a single process, its RSS
     */
    public static long residentBytes(Collection<Residency> processes) {
        long privateBytes = 0;
        long fileBytes = 0;
        long sharedBytes = 0;
        for (Residency residency : processes) {
            privateBytes += residency.privateBytes();
            fileBytes = Math.max(fileBytes, residency.fileBytes());
            sharedBytes = Math.max(sharedBytes, residency.sharedBytes());
        }
        return privateBytes + fileBytes + sharedBytes;
    }

    private static long kibibytes(String statusLine) {
        return Long.parseLong(statusLine.replaceAll("[^0-9]", "")) * 1024;
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
