package org.reseq.model.lease;

import java.sql.SQLException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this instance's fair share of the leases of one role and runs a {@link DestinationLeader}
 * per lease.
 *
 * <p>{@link #renew()}, called every renewal interval on a thread of its own (so that a tick busy
 * stopping leaders never delays it), renews this instance's leases ({@link Leases#renew()}).
 * Every {@link #tick()} checks the lock connection and the lease term (when either ended, every
 * leader is stopped), counts the live instances of the role, ends the lock sessions of holders
 * that stopped renewing ({@link Leases#endStaleHolders()}), gives up the leases of
 * deleted destinations, and then balances: the fair share is
 * {@code ceil(destinations / live instances)}; below it the keeper takes free leases until it
 * holds its share, above {@code share + hysteresis} it hands one lease over per tick. Taking only
 * below the share and giving only above it means an instance never takes back what it just gave:
 * instances converge to an even split and stay there.
 *
 * <p>The leaders run, stop and have their leases released in {@link RunningLeaders}, which holds
 * the one stop protocol.
 *
 * <p>Threads: {@link #tick()} and {@link #close()} are called by one scheduler thread (both are
 * synchronized, so a close from another thread waits for the tick in progress); {@link #renew()}
 * by another, and {@link #leading()} from any thread. Each leader runs on its own thread and
 * shares nothing with the others.
 */
public final class LeaseKeeper implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);
    /** SQLSTATE undefined_table: the heartbeat table's migration has not run. */
    private static final String UNDEFINED_TABLE = "42P01";
    /** SQLSTATEs lock_not_available and query_canceled: the lock connection's timeouts ended a wait. */
    private static final Set<String> WAITED_TOO_LONG = Set.of("55P03", "57014");

    private final Leases leases;
    private final Callable<List<String>> destinations;
    private final Function<String, DestinationLeader> leaders;
    private final Balance balance;
    private final RunningLeaders running;
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
    public LeaseKeeper(Leases leases, Callable<List<String>> destinations,
                       Function<String, DestinationLeader> leaders) {
        this(leases, destinations, leaders, Balance.defaults());
    }

    /**
     * @param leases the lock holder of this instance and role
     * @param destinations lists every destination that should have a leader
     * @param leaders makes the leader of a destination
     * @param balance how leases are shared with the other live instances
     */
    public LeaseKeeper(Leases leases, Callable<List<String>> destinations,
                       Function<String, DestinationLeader> leaders, Balance balance) {
        this.leases = leases;
        this.destinations = destinations;
        this.leaders = leaders;
        this.balance = balance;
        this.running = new RunningLeaders(leases, balance.stopGrace());
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
        running.reapEnded();
        if (!leases.verify()) {
            running.stop(running.leading(), "the lock connection broke or the lease term ended");
        }
        running.stop(running.leases().stream().filter(lease -> !lease.term().valid()).map(Lease::destination)
                .toList(), "its lease term ended");
        try {
            int live = liveInstances();
            endStaleHolders();
            List<String> wanted = destinations.call();
            Set<String> wantedSet = new HashSet<>(wanted);
            running.stop(running.leading().stream().filter(d -> !wantedSet.contains(d)).toList(), "it was deleted");
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
        return running.leading();
    }

    /** The leases of the leaders running now, as they were taken. */
    public List<Lease> leases() {
        return running.leases();
    }

    /**
     * A graceful hand-over at shutdown: deletes this instance's heartbeat, so the others count it
     * out at once, stops every leader and then releases its lease. The caller stops ticking first;
     * a tick after all (a restarted application context) joins the instances again.
     */
    @Override
    public synchronized void close() {
        leases.leave();
        running.stop(running.leading(), "this instance is stopping");
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
            if (!running.leads(destination)) {
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
        String destination = running.leading().stream().max(String::compareTo).orElseThrow();
        running.stop(List.of(destination), "handing it over: " + running.size() + " held, fair share " + share);
    }

    private void start(Lease lease) {
        running.start(lease, leaders.apply(lease.destination()));
    }
}
