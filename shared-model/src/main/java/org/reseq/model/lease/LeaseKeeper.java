package org.reseq.model.lease;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this instance's fair share of the leases of one role and runs a {@link DestinationLeader}
 * per lease.
 *
 * <p>{@link #renew()}, called every renewal interval on a thread of its own (so that a tick busy
 * stopping leaders never delays it), renews this instance's leases ({@link AdvisoryLockLeases#renew()}).
 * Every {@link #tick()} checks the lock connection and the lease term (when either ended, every
 * leader is stopped), counts the live instances of the role, ends the lock sessions of holders
 * that stopped renewing ({@link AdvisoryLockLeases#endStaleHolders()}), gives up the leases of
 * deleted destinations, and then balances: the fair share is
 * {@code ceil(destinations / live instances)}; below it the keeper takes free leases until it
 * holds its share, above {@code share + hysteresis} it hands one lease over per tick. Taking only
 * below the share and giving only above it means an instance never takes back what it just gave:
 * instances converge to an even split and stay there.
 *
 * <p>A leader that ends for any reason, a {@link LeaseLostException} included, has its lease
 * released here and only here, so that the rule "stop acting, then unlock" lives in one place.
 * Stopping asks a {@link StoppableLeader} to stop and interrupts it only after a grace period;
 * other leaders are interrupted at once.
 *
 * <p>Threads: {@link #tick()} and {@link #close()} are called by one scheduler thread (both are
 * synchronized, so a close from another thread waits for the tick in progress); {@link #renew()}
 * by another, and {@link #leading()} from any thread. Each leader runs on its own thread (see {@link #leaderThread})
 * and shares nothing with the others.
 */
public final class LeaseKeeper implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);
    /** Leaders that run on platform threads at most; the others run on virtual threads. */
    static final int PLATFORM_THREAD_LEADERS = 64;
    /** How long an interrupted leader may take to end before its lease is released anyway. */
    private static final Duration INTERRUPTED_WAIT = Duration.ofSeconds(10);
    /** SQLSTATE undefined_table: the heartbeat table's migration has not run. */
    private static final String UNDEFINED_TABLE = "42P01";
    /** SQLSTATEs lock_not_available and query_canceled: the lock connection's timeouts ended a wait. */
    private static final Set<String> WAITED_TOO_LONG = Set.of("55P03", "57014");

    private final AdvisoryLockLeases leases;
    private final Callable<List<String>> destinations;
    private final Function<String, DestinationLeader> leaders;
    private final Balance balance;
    private final Map<String, Running> running = new ConcurrentHashMap<>();
    private boolean heartbeatsMissing;
    private boolean upkeepFailing;
    private volatile boolean renewalFailing;
    private String lastShare = "";

    /**
     * How leases are shared between the live instances of a role.
     *
     * @param liveness how recent an instance's heartbeat must be for it to count as live
     * @param hysteresis how many leases above its fair share an instance keeps before handing one over
     * @param stopGrace how long a {@link StoppableLeader} may take to stop before it is interrupted
     */
    public record Balance(Duration liveness, int hysteresis, Duration stopGrace) {

        public Balance {
            if (liveness == null || liveness.isNegative() || liveness.isZero()) {
                throw new IllegalArgumentException("liveness must be positive: " + liveness);
            }
            if (hysteresis < 0) {
                throw new IllegalArgumentException("hysteresis must not be negative: " + hysteresis);
            }
            if (stopGrace == null || stopGrace.isNegative()) {
                throw new IllegalArgumentException("stopGrace must not be negative: " + stopGrace);
            }
        }

        /** Liveness 5 s, no hysteresis, 5 s for a stoppable leader to stop. */
        public static Balance defaults() {
            return new Balance(Duration.ofSeconds(5), 0, Duration.ofSeconds(5));
        }

        /** These settings with another liveness window. */
        public Balance withLiveness(Duration window) {
            return new Balance(window, hysteresis, stopGrace);
        }
    }

    /**
     * A keeper with {@link Balance#defaults()}.
     *
     * @param leases the lock holder of this instance and role
     * @param destinations lists every destination that should have a leader
     * @param leaders makes the leader of a destination
     */
    public LeaseKeeper(AdvisoryLockLeases leases, Callable<List<String>> destinations,
                       Function<String, DestinationLeader> leaders) {
        this(leases, destinations, leaders, Balance.defaults());
    }

    /**
     * @param leases the lock holder of this instance and role
     * @param destinations lists every destination that should have a leader
     * @param leaders makes the leader of a destination
     * @param balance how leases are shared with the other live instances
     */
    public LeaseKeeper(AdvisoryLockLeases leases, Callable<List<String>> destinations,
                       Function<String, DestinationLeader> leaders, Balance balance) {
        this.leases = leases;
        this.destinations = destinations;
        this.leaders = leaders;
        this.balance = balance;
    }

    /**
     * Renews this instance's leases; never throws. Not synchronized with {@link #tick()}: a tick
     * may wait seconds for leaders to stop, and renewals must go on meanwhile.
     */
    public void renew() {
        try {
            leases.renew();
            if (renewalFailing) {
                log.info("{} lease renewals work again", leases.role());
                renewalFailing = false;
            }
        } catch (SQLException | RuntimeException e) {
            if (!renewalFailing) {
                log.warn("{} lease renewal failed; the leases of {} hold {} ms more at most: {}", leases.role(),
                        leading(), leases.term().map(LeaseTerm::remaining).orElse(Duration.ZERO).toMillis(),
                        e.toString());
                renewalFailing = true;
            } else {
                log.debug("{} lease renewal still failing: {}", leases.role(), e.toString());
            }
        }
    }

    /** One round of lease upkeep; never throws, so a scheduler keeps calling it. */
    public synchronized void tick() {
        reapEndedLeaders();
        if (!leases.verify()) {
            stop(running.keySet(), "the lock connection broke or the lease term ended");
        }
        stop(running.values().stream().filter(r -> !r.lease().term().valid()).map(r -> r.lease().destination())
                .toList(), "its lease term ended");
        try {
            int live = liveInstances();
            endStaleHolders();
            List<String> wanted = destinations.call();
            Set<String> wantedSet = new HashSet<>(wanted);
            stop(running.keySet().stream().filter(d -> !wantedSet.contains(d)).toList(), "it was deleted");
            int share = fairShare(wanted.size(), live);
            if (running.size() > share + balance.hysteresis()) {
                handOverOne(share);
            } else {
                takeFree(wanted, share);
            }
            if (upkeepFailing) {
                log.info("{} lease upkeep works again", leases.role());
                upkeepFailing = false;
            }
        } catch (Exception e) {
            // once per outage at WARN: a PostgreSQL outage would otherwise log every tick
            if (!upkeepFailing) {
                log.warn("{} lease upkeep failed; retrying every tick: {}", leases.role(), e.toString());
                upkeepFailing = true;
            } else {
                log.debug("{} lease upkeep still failing: {}", leases.role(), e.toString());
            }
        }
    }

    /** The role whose leases this keeper keeps. */
    public LeaseRole role() {
        return leases.role();
    }

    /** The destinations this instance currently leads. */
    public Set<String> leading() {
        return Set.copyOf(running.keySet());
    }

    /**
     * A graceful hand-over at shutdown: deletes this instance's heartbeat, so the others count it
     * out at once, stops every leader and then releases its lease. The caller stops ticking first;
     * a tick after all (a restarted application context) joins the instances again.
     */
    @Override
    public synchronized void close() {
        leases.leave();
        stop(running.keySet(), "this instance is stopping");
        leases.close();
    }

    private void endStaleHolders() throws SQLException {
        try {
            leases.endStaleHolders();
        } catch (SQLException e) {
            if (!UNDEFINED_TABLE.equals(e.getSQLState())) {
                throw e;
            }
        }
    }

    private int liveInstances() throws SQLException {
        try {
            int live = leases.liveInstances(balance.liveness());
            heartbeatsMissing = false;
            return live;
        } catch (SQLException e) {
            if (!UNDEFINED_TABLE.equals(e.getSQLState())) {
                throw e;
            }
            if (!heartbeatsMissing) {
                log.warn("No heartbeat table (schema not migrated?): taking every free lease as if alone");
                heartbeatsMissing = true;
            }
            return 1;
        }
    }

    private int fairShare(int destinationCount, int live) {
        int share = (destinationCount + live - 1) / live;
        String described = share + " of " + destinationCount + " destinations over " + live + " live instance(s)";
        if (!described.equals(lastShare)) {
            log.info("Fair share of {} leases: {}", leases.role(), described);
            lastShare = described;
        }
        return share;
    }

    private void takeFree(List<String> wanted, int share) throws SQLException {
        for (String destination : wanted) {
            if (running.size() >= share) {
                return;
            }
            if (!running.containsKey(destination)) {
                try {
                    leases.tryAcquire(destination).ifPresent(this::start);
                } catch (SQLException e) {
                    if (!WAITED_TOO_LONG.contains(e.getSQLState())) {
                        throw e;
                    }
                    // its cursor row is locked by a transaction of a holder that just went quiet;
                    // PostgreSQL ends that transaction soon (idle_in_transaction_session_timeout)
                    log.debug("Could not take the {} lease of {} yet: {}", leases.role(), destination, e.toString());
                }
            }
        }
    }

    /** Hands over one lease (the last by name), so the instances below their share can take it. */
    private void handOverOne(int share) {
        String destination = running.keySet().stream().max(String::compareTo).orElseThrow();
        stop(List.of(destination), "handing it over: " + running.size() + " held, fair share " + share);
    }

    private void start(Lease lease) {
        DestinationLeader leader = leaders.apply(lease.destination());
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

    private static void lead(DestinationLeader leader, Lease lease) {
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

    /**
     * Stops the leaders of {@code destinations} together (all are asked first, then awaited), and
     * releases each lease once its leader has ended.
     */
    private void stop(Collection<String> destinations, String reason) {
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
        boolean interrupted = !awaitEnd(stopping, balance.stopGrace());
        for (Running leader : stopping) {
            if (leader.thread().isAlive() && leader.leader() instanceof StoppableLeader) {
                log.warn("The {} leader of {} did not stop within {}; interrupting it", leader.lease().role(),
                        leader.lease().destination(), balance.stopGrace());
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
