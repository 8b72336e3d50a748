package org.reseq.model.lease;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leases of one role, held as PostgreSQL session advisory locks on one dedicated connection.
 * Taking a lease bumps the epoch in {@code destination_cursor}; the lock guarantees one holder
 * at a time and the epoch fences whatever a former holder still tries to write.
 *
 * <p>Liveness: {@link #renew()} records a heartbeat (PostgreSQL's clock) and extends the session's
 * {@link LeaseTerm} (this JVM's monotonic clock). A holder that stops renewing, because it is
 * frozen, cut off or its host is gone, keeps its session and so its locks; {@link
 * #endStaleHolders()} run by any live instance ends such a session once its heartbeat is older
 * than the timeout, which frees its locks. By then the stale holder's own term has ended, so it
 * acts no more even if it wakes (see {@link LeaseTimings}).
 *
 * <p>When the dedicated connection breaks, PostgreSQL frees every lock it held: {@link #verify()}
 * notices, forgets all leases and reports them lost, and other instances may take them. So does
 * a term that ended while leases were held: the session is closed and a new one starts afresh.
 *
 * <p>The lock connection must not come from a pool: a pooled connection handed back with its
 * locks still held would keep them in a session nobody watches. {@link LockConnections#unpooled}
 * builds a suitable data source.
 *
 * <p>The same connection carries this instance's heartbeat ({@link #renew}), so an instance
 * counts as live exactly while it can hold locks.
 *
 * <p>Thread-safe: every method is synchronized, since JDBC connections are not.
 */
public final class AdvisoryLockLeases implements Leases {

    private static final Logger log = LoggerFactory.getLogger(AdvisoryLockLeases.class);

    private final DataSource dataSource;
    private final LeaseRole role;
    private final String holder;
    private final LeaseTimings timings;
    private final AdvisoryLocks locks;
    private final Heartbeats heartbeats;
    private final StaleHolders staleHolders;
    private final Map<String, Lease> held = new HashMap<>();
    private Connection connection;
    private LeaseTerm term;
    private boolean registered;

    /** Leases with {@link LeaseTimings#defaults()}. */
    public AdvisoryLockLeases(DataSource dataSource, LeaseRole role, String holder) {
        this(dataSource, role, holder, LeaseTimings.defaults());
    }

    /**
     * @param dataSource where the dedicated lock connection comes from: unpooled (see {@link LockConnections#unpooled})
     * @param role the role these leases are for
     * @param holder names this instance in {@code destination_cursor.holder}
     * @param timings how leases are renewed and when a silent holder's are taken over
     */
    public AdvisoryLockLeases(DataSource dataSource, LeaseRole role, String holder, LeaseTimings timings) {
        this.dataSource = dataSource;
        this.role = role;
        this.holder = holder;
        this.timings = timings;
        this.locks = new AdvisoryLocks(role, holder);
        this.heartbeats = new Heartbeats(role, holder);
        this.staleHolders = new StaleHolders(role, holder, timings);
    }

    @Override
    public synchronized Optional<Lease> tryAcquire(String destination) throws SQLException {
        Lease existing = held.get(destination);
        if (existing != null) {
            return Optional.of(existing);
        }
        if (term == null || !term.valid()) {
            renew();
            if (term == null || !term.valid()) {
                return Optional.empty();
            }
        }
        Optional<Lease> taken = locks.take(connection(), destination, term);
        taken.ifPresent(lease -> {
            held.put(destination, lease);
            log.info("Took the {} lease of {} with epoch {} at position {}", role, destination, lease.epoch(),
                    lease.position());
        });
        return taken;
    }

    @Override
    public synchronized void release(Lease lease) {
        if (held.get(lease.destination()) == lease && held.remove(lease.destination()) != null
                && connection != null) {
            locks.unlock(connection, lease.destinationId());
            log.info("Released the {} lease of {} (epoch {})", role, lease.destination(), lease.epoch());
        }
    }

    /**
     * Checks that the lock connection is alive. When it is not, every lease is gone: they are
     * forgotten and this returns false, and the caller must stop acting for all of them.
     */
    @Override
    public synchronized boolean verify() {
        if (connection == null) {
            return held.isEmpty();
        }
        if (!held.isEmpty() && term != null && term.ended()) {
            abandon("their term ended: no successful renewal for " + timings.validity().toMillis()
                    + " ms (this instance was paused, or PostgreSQL did not answer)");
            return false;
        }
        try {
            if (connection.isValid(2)) {
                return true;
            }
        } catch (SQLException e) {
            log.debug("Lock connection check failed", e);
        }
        log.warn("Lost the lock connection: the {} leases of {} are gone", role, held.keySet());
        held.clear();
        closeConnection();
        return false;
    }

    /**
     * Renews every lease of this session at once: records this instance's heartbeat (PostgreSQL's
     * clock) and, once PostgreSQL confirmed it, extends the term from the moment the renewal was
     * sent (this JVM's monotonic clock). A term that ended while leases were held is not renewed:
     * this instance was paused or cut off for so long that others may have taken over, so its
     * leases are given up and the session is closed; the next tick rejoins as a fresh contender.
     *
     * @return whether the term holds now
     * @throws SQLException when PostgreSQL cannot be reached; the term then runs out by itself
     */
    @Override
    public synchronized boolean renew() throws SQLException {
        if (!held.isEmpty() && term != null && term.ended()) {
            abandon("their term ended before they could be renewed (this instance was paused or cut off)");
        }
        Connection lockConnection;
        try {
            lockConnection = connection();
        } catch (SQLException e) {
            revokeIfBroken();
            throw e;
        }
        long sentAt = term.now();
        try {
            heartbeats.beat(lockConnection);
        } catch (SQLException e) {
            revokeIfBroken();
            throw e;
        }
        registered = true;
        term.renewed(sentAt);
        return term.valid();
    }

    @Override
    public synchronized int endStaleHolders() throws SQLException {
        return staleHolders.end(connection());
    }

    /** The term of the current lock session; empty before the first session opened. */
    @Override
    public synchronized Optional<LeaseTerm> term() {
        return Optional.ofNullable(term);
    }

    /** Gives up every lease and the session that holds them; the next renewal starts a new one. */
    private void abandon(String why) {
        if (!held.isEmpty()) {
            log.warn("Giving up the {} leases of {}: {}; rejoining as a fresh contender", role, held.keySet(), why);
        }
        held.clear();
        closeConnection();
    }

    /** After a failed statement: a lock connection that broke has taken every lock with it. */
    private void revokeIfBroken() {
        boolean alive = false;
        try {
            alive = connection != null && connection.isValid(1);
        } catch (SQLException e) {
            log.debug("Lock connection check failed", e);
        }
        if (!alive) {
            if (!held.isEmpty()) {
                log.warn("Lost the lock connection: the {} leases of {} are gone", role, held.keySet());
            }
            held.clear();
            closeConnection();
        }
    }

    @Override
    public synchronized int liveInstances(Duration liveness) throws SQLException {
        return heartbeats.live(connection(), liveness);
    }

    /**
     * Deletes this instance's heartbeat, so that the others count it out at once (a graceful
     * stop). Best effort, and only over a lock connection that is still open: without one, the
     * row names a session that no longer exists and counts as dead already.
     */
    @Override
    public synchronized void leave() {
        if (!registered || connection == null) {
            return;
        }
        registered = false;
        try {
            heartbeats.withdraw(connection);
        } catch (SQLException e) {
            log.warn("Could not delete the {} heartbeat of {}; it expires by itself: {}", role, holder, e.toString());
        }
    }

    /** The role these leases are for. */
    @Override
    public LeaseRole role() {
        return role;
    }

    /** The destinations this instance holds the lease of. */
    @Override
    public synchronized Set<String> held() {
        return Set.copyOf(held.keySet());
    }

    @Override
    public synchronized Optional<Lease> lease(String destination) {
        return Optional.ofNullable(held.get(destination));
    }

    /**
     * Deletes this instance's heartbeat, releases every lease and closes the lock connection
     * (which would free them anyway).
     */
    @Override
    public synchronized void close() {
        leave();
        for (Lease lease : Map.copyOf(held).values()) {
            release(lease);
        }
        closeConnection();
    }

    /** The lock connection, a new one (with a new, not yet renewed term) when there is none. */
    private Connection connection() throws SQLException {
        if (connection == null || connection.isClosed()) {
            if (term != null) {
                term.revoke();
            }
            held.clear();
            term = new LeaseTerm(timings.validity());
            connection = dataSource.getConnection();
            connection.setAutoCommit(true);
        }
        return connection;
    }

    private void closeConnection() {
        if (term != null) {
            term.revoke();
        }
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                log.debug("Closing the lock connection failed", e);
            }
            connection = null;
        }
    }
}
