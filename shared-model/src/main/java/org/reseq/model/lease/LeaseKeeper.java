package org.reseq.model.lease;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this instance's leases of one role and runs a {@link DestinationLeader} per lease.
 *
 * <p>Every {@link #tick()} checks the lock connection, takes the leases of destinations nobody
 * holds, gives up the leases of deleted destinations, and reaps leaders that ended. A leader
 * that ends for any reason, a {@link LeaseLostException} included, has its lease released here
 * and only here, so that the rule "stop acting, then unlock" lives in one place.
 *
 * <p>Threads: {@link #tick()} and {@link #close()} are called by one scheduler thread; each
 * leader runs on its own virtual thread and shares nothing with the others.
 */
public final class LeaseKeeper implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);

    private final AdvisoryLockLeases leases;
    private final Callable<List<String>> destinations;
    private final Function<String, DestinationLeader> leaders;
    private final Map<String, Running> running = new HashMap<>();

    /**
     * @param leases the lock holder of this instance and role
     * @param destinations lists every destination that should have a leader
     * @param leaders makes the leader of a destination
     */
    public LeaseKeeper(AdvisoryLockLeases leases, Callable<List<String>> destinations,
                       Function<String, DestinationLeader> leaders) {
        this.leases = leases;
        this.destinations = destinations;
        this.leaders = leaders;
    }

    /** One round of lease upkeep; never throws, so a scheduler keeps calling it. */
    public synchronized void tick() {
        reapEndedLeaders();
        if (!leases.verify()) {
            stopAll("the lock connection broke");
        }
        try {
            List<String> wanted = destinations.call();
            for (String destination : Set.copyOf(running.keySet())) {
                if (!wanted.contains(destination)) {
                    stop(destination, "it was deleted");
                }
            }
            for (String destination : wanted) {
                if (!running.containsKey(destination)) {
                    leases.tryAcquire(destination).ifPresent(this::start);
                }
            }
        } catch (Exception e) {
            log.warn("Lease upkeep failed; retrying on the next tick: {}", e.toString());
        }
    }

    /** The destinations this instance currently leads. */
    public synchronized Set<String> leading() {
        return Set.copyOf(running.keySet());
    }

    /** Stops every leader, then releases its lease: a graceful hand-over at shutdown. */
    @Override
    public synchronized void close() {
        stopAll("this instance is stopping");
        leases.close();
    }

    private void start(Lease lease) {
        DestinationLeader leader = leaders.apply(lease.destination());
        Thread thread = Thread.ofVirtual().name(lease.role().name().toLowerCase() + "-" + lease.destination())
                .start(() -> lead(leader, lease));
        running.put(lease.destination(), new Running(lease, thread));
    }

    private static void lead(DestinationLeader leader, Lease lease) {
        try {
            leader.lead(lease);
        } catch (LeaseLostException e) {
            log.warn("{}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            if (!Thread.currentThread().isInterrupted()) {
                log.warn("The {} leader of {} failed; it is restarted on a later tick", lease.role(),
                        lease.destination(), e);
            }
        }
    }

    private void reapEndedLeaders() {
        for (Running leader : List.copyOf(running.values())) {
            if (!leader.thread().isAlive()) {
                running.remove(leader.lease().destination());
                leases.release(leader.lease());
            }
        }
    }

    private void stopAll(String reason) {
        for (String destination : Set.copyOf(running.keySet())) {
            stop(destination, reason);
        }
    }

    private void stop(String destination, String reason) {
        Running leader = running.remove(destination);
        log.info("Stopping the {} leader of {}: {}", leader.lease().role(), destination, reason);
        leader.thread().interrupt();
        try {
            leader.thread().join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (leader.thread().isAlive()) {
            log.warn("The {} leader of {} did not stop within 10 s; releasing its lease anyway (its writes are fenced)",
                    leader.lease().role(), destination);
        }
        leases.release(leader.lease());
    }

    private record Running(Lease lease, Thread thread) {
    }
}
