package org.reseq.bench.stack;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.reseq.bench.system.OsProcess;
import org.reseq.bench.system.OsProcesses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the suite during one run: its CPU time from start to stop, and every {@code interval}
 * the resident memory of each of its processes and Redis's {@code used_memory}.
 *
 * <p>Threads: {@link #start} and {@link #stop} on the caller's, the samples on one daemon thread
 * that owns the peaks until {@link #stop} has joined it.
 */
public final class ResourceProbe {

    private static final Logger log = LoggerFactory.getLogger(ResourceProbe.class);
    /** PostgreSQL starts a process per connection: look for new ones now and then, not at every sample. */
    private static final int RELIST_EVERY = 10;

    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "bench-probe");
        thread.setDaemon(true);
        return thread;
    });
    private final RedisMemory redis;
    private final double cpuBefore;
    private final boolean suiteFound;
    private final Map<String, Long> peakRss = new HashMap<>();
    private final List<ResourceFigures.RedisSample> redisSamples = new ArrayList<>();
    private List<OsProcess> processes;
    private int samples;

    private ResourceProbe(String redisUrl) {
        this.processes = OsProcesses.suite();
        this.suiteFound = !processes.isEmpty();
        this.cpuBefore = OsProcesses.cpuSeconds(processes);
        this.redis = connect(redisUrl);
        if (!suiteFound) {
            log.warn("No process of the suite found on this machine: CPU and memory are not measured");
        }
    }

    /** Takes the CPU reading and starts sampling. */
    public static ResourceProbe start(String redisUrl, Duration interval) {
        ResourceProbe probe = new ResourceProbe(redisUrl);
        probe.sampler.scheduleAtFixedRate(probe::sample, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return probe;
    }

    /** Stops sampling and takes the second CPU reading. */
    public ResourceFigures stop() {
        sampler.shutdown();
        try {
            if (!sampler.awaitTermination(10, TimeUnit.SECONDS)) {
                log.warn("The resource sampler did not stop in time");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (redis != null) {
            redis.close();
        }
        // A fresh list: backends that started during the run count in full, ended ones through
        // their parent's reaped-children time.
        Double cpu = suiteFound ? Math.max(0, OsProcesses.cpuSeconds(OsProcesses.suite()) - cpuBefore) : null;
        Long redisPeak = redisSamples.stream().map(ResourceFigures.RedisSample::usedBytes).max(Long::compare)
                .orElse(null);
        Map<String, Long> rssMb = new HashMap<>();
        peakRss.forEach((kind, bytes) -> rssMb.put(kind, Math.round(bytes / 1048576.0)));
        return new ResourceFigures(cpu, rssMb, redisPeak, redisSamples);
    }

    private void sample() {
        try {
            if (samples++ % RELIST_EVERY == 0 && suiteFound) {
                processes = OsProcesses.suite();
            }
            Map<String, List<OsProcesses.Residency>> byKind = new HashMap<>();
            for (OsProcess process : processes) {
                byKind.computeIfAbsent(process.kind(), kind -> new ArrayList<>()).add(OsProcesses.residency(process));
            }
            byKind.forEach((kind, residencies) ->
                    peakRss.merge(kind, OsProcesses.residentBytes(residencies), Math::max));
            if (redis != null) {
                redisSamples.add(new ResourceFigures.RedisSample(System.nanoTime(), redis.usedBytes()));
            }
        } catch (RuntimeException e) {
            // One missed sample is no reason to lose the run's figures.
            log.debug("resource sample failed: {}", e.toString());
        }
    }

    private static RedisMemory connect(String redisUrl) {
        RedisMemory memory = null;
        try {
            memory = new RedisMemory(redisUrl);
            memory.usedBytes();
            return memory;
        } catch (RuntimeException e) {
            if (memory != null) {
                memory.close();
            }
            log.warn("Cannot read Redis memory at {} ({}): not measured", redisUrl, e.toString());
            return null;
        }
    }
}
