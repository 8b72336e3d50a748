package org.reseq.model.leader;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.reseq.model.lease.Lease;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The safety net for lost signals of the destinations this instance leads, in one batched look
 * for all of them instead of a poll per leader: every interval it reads a fingerprint of each led
 * destination (its progress in PostgreSQL, its keys in Redis) and wakes the leader of each whose
 * fingerprint changed since the last look, or that it sees for the first time. The woken leader
 * polls as after any signal.
 *
 * <p>Why: a thousand idle destinations cost half a core when each of their two leaders polled
 * every two seconds; the sweep costs one query and one pipelined Redis batch per interval. A
 * leader with work outstanding still polls by itself, because what it waits for then (a worker's
 * result, a retry) is not in the fingerprint; a quiet one polls every {@link #QUIET_POLL_INTERVAL}
 * ({@link org.reseq.model.lease.PollPace#quiet}). The fingerprints must therefore cover everything
 * that can change for a quiet leader without it acting: new messages, cursors, configuration, the
 * operators' commands, and Redis losing the destination's keys.
 *
 * <p>Every fingerprint read follows the leader's poll that the previous change caused, so a change
 * is never missed: at worst a leader polls once more than needed. After a look that failed (a
 * store out of reach) the next successful one wakes every leader, because what changed meanwhile
 * is unknown.
 *
 * <p>Threads: the sweeps run on one platform thread of their own; {@code wake} is called there and
 * must not block. Start and stop come from Spring's lifecycle.
 */
public final class LeaderSweep implements SmartLifecycle {

    /**
     * How long a quiet leader waits for a poll of its own at most: the sweep watches it meanwhile,
     * so this only bounds the wait should a change ever escape the fingerprints.
     */
    public static final Duration QUIET_POLL_INTERVAL = Duration.ofMinutes(5);

    private static final Logger log = LoggerFactory.getLogger(LeaderSweep.class);

    /** Reads the fingerprints of some leases' destinations in one batch. */
    @FunctionalInterface
    public interface Fingerprints {

        /**
         * @return a fingerprint per destination name; one left out (deleted, say) counts as one value
         * @throws Exception when the store cannot be reached
         */
        Map<String, String> read(List<Lease> leases) throws Exception;
    }

    private final String name;
    private final Duration interval;
    private final Supplier<List<Lease>> leases;
    private final List<Fingerprints> sources;
    private final Consumer<String> wake;
    /** The fingerprints of the last look, by destination; owned by the sweep's thread. */
    private final Map<String, String> seen = new HashMap<>();
    private boolean failing;
    private ScheduledExecutorService scheduler;

    /**
     * @param name names the thread and the log lines, e.g. "resequencer"
     * @param interval the wait between two looks
     * @param leases the leases this instance holds now
     * @param sources what a fingerprint is made of, read in this order
     * @param wake wakes the leader of a destination; must not block
     */
    public LeaderSweep(String name, Duration interval, Supplier<List<Lease>> leases, List<Fingerprints> sources,
                       Consumer<String> wake) {
        this.name = name;
        this.interval = interval;
        this.leases = leases;
        this.sources = List.copyOf(sources);
        this.wake = wake;
    }

    /** One look at every led destination; never throws, so the schedule goes on. */
    public void sweep() {
        List<Lease> led = leases.get();
        Map<String, String> now;
        try {
            now = read(led);
        } catch (Exception e) {
            if (!failing) {
                log.warn("The {} sweep cannot read its destinations; quiet leaders look only every {} meanwhile: {}",
                        name, QUIET_POLL_INTERVAL, e.toString());
                failing = true;
            }
            seen.clear();
            return;
        }
        if (failing) {
            log.info("The {} sweep reads its destinations again", name);
            failing = false;
        }
        Set<String> names = new HashSet<>();
        for (Lease lease : led) {
            String destination = lease.destination();
            names.add(destination);
            String fingerprint = lease.epoch() + "/" + now.get(destination);
            if (!fingerprint.equals(seen.put(destination, fingerprint))) {
                wake.accept(destination);
            }
        }
        seen.keySet().retainAll(names);
    }

    /** Each destination's parts, one per source in order, joined; empty when nothing is led. */
    private Map<String, String> read(List<Lease> led) throws Exception {
        Map<String, String> fingerprints = new HashMap<>();
        if (led.isEmpty()) {
            return fingerprints;
        }
        for (Fingerprints source : sources) {
            Map<String, String> part = source.read(led);
            for (Lease lease : led) {
                fingerprints.merge(lease.destination(), part.getOrDefault(lease.destination(), "-") + "/",
                        String::concat);
            }
        }
        return fingerprints;
    }

    @Override
    public synchronized void start() {
        if (scheduler == null) {
            scheduler = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().daemon().name(name + "-sweep").factory());
            scheduler.scheduleWithFixedDelay(this::sweep, interval.toMillis(), interval.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public synchronized void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return scheduler != null;
    }
}
