package org.reseq.model.lease;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The leaders this instance runs, one thread each, and the one stop protocol: ask every leader to
 * stop (cooperatively when it is a {@link StoppableLeader}), wait a grace period, interrupt what
 * still runs, and release each lease once its leader has ended (or, failing that, anyway: its
 * writes are fenced). A leader that ends for any reason has its lease released here and only
 * here, so that the rule "stop acting, then unlock" lives in one place.
 *
 * <p>Threads: {@link #start}, {@link #stop} and {@link #reapEnded} are called by the keeper's
 * ticking thread; {@link #leading} and {@link #leases} from any thread.
 */
final class RunningLeaders {

    private static final Logger log = LoggerFactory.getLogger(RunningLeaders.class);
    /** Leaders that run on platform threads at most; the others run on virtual threads. */
    static final int PLATFORM_THREAD_LEADERS = 64;
    /** How long an interrupted leader may take to end before its lease is released anyway. */
    private static final Duration INTERRUPTED_WAIT = Duration.ofSeconds(10);

    private final Leases leases;
    private final Duration stopGrace;
    private final Map<String, Running> running = new ConcurrentHashMap<>();

    RunningLeaders(Leases leases, Duration stopGrace) {
        this.leases = leases;
        this.stopGrace = stopGrace;
    }

    /** The destinations led now. */
    Set<String> leading() {
        return Set.copyOf(running.keySet());
    }

    /** The leases of the leaders running now. */
    List<Lease> leases() {
        return running.values().stream().map(Running::lease).toList();
    }

    int size() {
        return running.size();
    }

    boolean leads(String destination) {
        return running.containsKey(destination);
    }

    /** Runs {@code leader} for {@code lease} on a thread of its own. */
    void start(Lease lease, DestinationLeader leader) {
        Thread thread = leaderThread(running.size())
                .name(lease.role().name().toLowerCase() + "-" + lease.destination())
                .start(() -> lead(leader, lease));
        running.put(lease.destination(), new Running(lease, leader, thread));
    }

    /**
     * A platform thread for each of the first {@link #PLATFORM_THREAD_LEADERS} leaders running at
     * once, a virtual thread beyond. Blocking I/O wakes a platform thread directly, where a
     * virtual thread's wake-up goes through the JDK's pollers and a carrier thread first, which
     * is most of a delivery's round trip to a fast destination. With many leaders, virtual
     * threads cost less: their wake-ups share a few carriers instead of switching between
     * thousands of threads (ADR 11).
     */
    static Thread.Builder leaderThread(int alreadyRunning) {
        return alreadyRunning < PLATFORM_THREAD_LEADERS ? Thread.ofPlatform().daemon(true) : Thread.ofVirtual();
    }

    /** Releases the leases of leaders that ended by themselves. */
    void reapEnded() {
        for (Running leader : List.copyOf(running.values())) {
            if (!leader.thread().isAlive()) {
                running.remove(leader.lease().destination());
                leases.release(leader.lease());
            }
        }
    }

    /**
     * Stops the leaders of {@code destinations} together (all are asked first, then awaited), and
     * releases each lease once its leader has ended.
     */
    void stop(Collection<String> destinations, String reason) {
        List<Running> stopping = new ArrayList<>();
        for (String destination : List.copyOf(destinations)) {
            Running leader = running.remove(destination);
            if (leader == null) {
                continue;
            }
            log.info("Stopping the {} leader of {}: {}", leader.lease().role(), destination, reason);
            leader.ask();
            stopping.add(leader);
        }
        if (stopping.isEmpty()) {
            return;
        }
        boolean interrupted = !awaitEnd(stopping, stopGrace);
        for (Running leader : stopping) {
            if (leader.thread().isAlive() && leader.leader() instanceof StoppableLeader) {
                log.warn("The {} leader of {} did not stop within {}; interrupting it", leader.lease().role(),
                        leader.lease().destination(), stopGrace);
                leader.thread().interrupt();
            }
        }
        if (!interrupted) {
            interrupted = !awaitEnd(stopping, INTERRUPTED_WAIT);
        }
        for (Running leader : stopping) {
            if (leader.thread().isAlive()) {
                log.warn("The {} leader of {} did not stop; releasing its lease anyway (its writes are fenced)",
                        leader.lease().role(), leader.lease().destination());
            }
            leases.release(leader.lease());
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Runs one leader to its end on its own thread, with the destination and role in the log
     * context ({@code destination}, {@code leaseRole}) of everything it logs: the thread is the
     * leader's alone, so the context is cleared only when it ends.
     */
    static void lead(DestinationLeader leader, Lease lease) {
        MDC.put("destination", lease.destination());
        MDC.put("leaseRole", lease.role().name());
        try {
            leader.lead(lease);
        } catch (DestinationDeletedException e) {
            log.info("{}", e.getMessage());
        } catch (LeaseLostException e) {
            log.warn("{}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            if (!Thread.currentThread().isInterrupted()) {
                log.warn("The {} leader of {} failed; it is restarted on a later tick", lease.role(),
                        lease.destination(), e);
            }
        } finally {
            MDC.remove("destination");
            MDC.remove("leaseRole");
        }
    }

    /** Waits until every leader ended or {@code patience} passed; false when this thread was interrupted. */
    private static boolean awaitEnd(List<Running> leaders, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        for (Running leader : leaders) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return true;
            }
            try {
                leader.thread().join(Duration.ofNanos(remaining));
            } catch (InterruptedException e) {
                return false;
            }
        }
        return true;
    }

    private record Running(Lease lease, DestinationLeader leader, Thread thread) {

        /** Asks the leader to stop: cooperatively when it can, else by interrupting its thread. */
        void ask() {
            if (leader instanceof StoppableLeader stoppable) {
                try {
                    stoppable.stop();
                    return;
                } catch (RuntimeException e) {
                    log.warn("Asking the {} leader of {} to stop failed; interrupting it", lease.role(),
                            lease.destination(), e);
                }
            }
            thread.interrupt();
        }
    }
}
