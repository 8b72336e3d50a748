package org.reseq.model.lease;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
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
 * locks still held would keep them in a session nobody watches. {@link #unpooled} builds a
 * suitable data source.
 *
 * <p>The same connection carries this instance's heartbeat ({@link #renew}), so an instance
 * counts as live exactly while it can hold locks.
 *
 * <p>Thread-safe: every method is synchronized, since JDBC connections are not.
 */
public final class AdvisoryLockLeases implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AdvisoryLockLeases.class);
    /** SQLSTATE insufficient_privilege: this user may not signal another user's sessions. */
    private static final String INSUFFICIENT_PRIVILEGE = "42501";

    private final DataSource dataSource;
    private final LeaseRole role;
    private final String holder;
    private final LeaseTimings timings;
    private final Map<String, Lease> held = new HashMap<>();
    private Connection connection;
    private LeaseTerm term;
    private boolean registered;
    private boolean terminationRefused;

    /** A lock data source with {@link LeaseTimings#defaults()}. */
    public static DataSource unpooled(String jdbcUrl, String user, String password) {
        return unpooled(jdbcUrl, user, password, LeaseTimings.defaults());
    }

    /**
     * A data source that opens a new physical connection per call, for the lock connection.
     *
     * <p>Its server-side TCP keepalive and {@code tcp_user_timeout} make PostgreSQL end the
     * session of a host that vanished within about the lease timeout and a half by itself,
     * instead of after the operating system's two hours; its socket timeout makes a statement on a
     * hung server fail rather than hold the renewing thread past the point where the leases are
     * lost anyway.
     */
    public static DataSource unpooled(String jdbcUrl, String user, String password, LeaseTimings timings) {
        org.postgresql.ds.PGSimpleDataSource dataSource = new org.postgresql.ds.PGSimpleDataSource();
        dataSource.setUrl(jdbcUrl);
        dataSource.setUser(user);
        if (password != null && !password.isEmpty()) {
            dataSource.setPassword(password);
        }
        int timeoutSeconds = (int) Math.max(1, timings.timeout().toSeconds());
        dataSource.setConnectTimeout(Math.min(5, timeoutSeconds));
        dataSource.setSocketTimeout(timeoutSeconds);
        dataSource.setTcpKeepAlive(true);
        // A statement that waits for a row lock (a frozen holder's open transaction on a cursor
        // row) must not hold up the renewals that share this connection: it fails after a renewal
        // interval instead, and is tried again at the next tick.
        long renewMillis = Math.max(1, timings.renewInterval().toMillis());
        dataSource.setOptions("-c tcp_keepalives_idle=" + Math.max(1, timeoutSeconds / 2)
                + " -c tcp_keepalives_interval=1 -c tcp_keepalives_count=" + Math.max(1, timeoutSeconds / 2)
                + " -c tcp_user_timeout=" + timings.timeout().toMillis()
                + " -c lock_timeout=" + renewMillis + " -c statement_timeout=" + 2 * renewMillis);
        dataSource.setApplicationName("reseq-leases");
        return dataSource;
    }

    /** Leases with {@link LeaseTimings#defaults()}. */
    public AdvisoryLockLeases(DataSource dataSource, LeaseRole role, String holder) {
        this(dataSource, role, holder, LeaseTimings.defaults());
    }

    /**
     * @param dataSource where the dedicated lock connection comes from: unpooled (see {@link #unpooled})
     * @param role the role these leases are for
     * @param holder names this instance in {@code destination_cursor.holder}
     * @param timings how leases are renewed and when a silent holder's are taken over
     */
    public AdvisoryLockLeases(DataSource dataSource, LeaseRole role, String holder, LeaseTimings timings) {
        this.dataSource = dataSource;
        this.role = role;
        this.holder = holder;
        this.timings = timings;
    }

    /**
     * Takes the lease of {@code destination} if no other session holds it.
     *
     * @return the lease with its new epoch, empty when another instance holds it or the
     *         destination does not exist
     * @throws SQLException when PostgreSQL cannot be reached
     */
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
        Connection lockConnection = connection();
        Integer destinationId = destinationId(lockConnection, destination);
        if (destinationId == null || !tryLock(lockConnection, destinationId)) {
            return Optional.empty();
        }
        try (PreparedStatement insert = lockConnection.prepareStatement(
                "insert into destination_cursor (destination, role) values (?, ?) on conflict do nothing");
             PreparedStatement bump = lockConnection.prepareStatement("""
                     update destination_cursor
                        set epoch = epoch + 1, holder = ?, acquired_at = now(), updated_at = now()
                      where destination = ? and role = ?
                     returning epoch, position""")) {
            insert.setString(1, destination);
            insert.setString(2, role.name());
            insert.executeUpdate();
            bump.setString(1, holder);
            bump.setString(2, destination);
            bump.setString(3, role.name());
            try (ResultSet rows = bump.executeQuery()) {
                rows.next();
                Lease lease = new Lease(destination, destinationId, role, rows.getLong(1), rows.getLong(2), term);
                held.put(destination, lease);
                log.info("Took the {} lease of {} with epoch {} at position {}", role, destination, lease.epoch(),
                        lease.position());
                return Optional.of(lease);
            }
        } catch (SQLException | RuntimeException e) {
            unlockQuietly(lockConnection, destinationId);
            throw e;
        }
    }

    /**
     * Gives a lease up: the caller has already stopped acting for its destination. A lease of an
     * earlier session, or one taken again since, is left alone.
     */
    public synchronized void release(Lease lease) {
        if (held.get(lease.destination()) == lease && held.remove(lease.destination()) != null
                && connection != null) {
            unlockQuietly(connection, lease.destinationId());
            log.info("Released the {} lease of {} (epoch {})", role, lease.destination(), lease.epoch());
        }
    }

    /**
     * Checks that the lock connection is alive. When it is not, every lease is gone: they are
     * forgotten and this returns false, and the caller must stop acting for all of them.
     */
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
        try (PreparedStatement upsert = lockConnection.prepareStatement("""
                     insert into service_instance (role, instance_id, heartbeat_at, backend_pid)
                     values (?, ?, now(), pg_backend_pid())
                     on conflict (role, instance_id)
                     do update set heartbeat_at = excluded.heartbeat_at, backend_pid = excluded.backend_pid""")) {
            upsert.setString(1, role.name());
            upsert.setString(2, holder);
            upsert.executeUpdate();
        } catch (SQLException e) {
            revokeIfBroken();
            throw e;
        }
        registered = true;
        term.renewed(sentAt);
        return term.valid();
    }

    /**
     * Ends the lock sessions of other instances of this role that hold leases but have not renewed
     * for the timeout (their heartbeat is older, by PostgreSQL's clock, or gone): frozen, cut off,
     * or on a host that vanished. PostgreSQL then frees their locks, and the leases can be taken
     * with higher epochs. Each take-over is logged and recorded in {@code lease_takeover}. Only
     * sessions of this database are looked at.
     *
     * @return how many sessions were ended
     * @throws SQLException when PostgreSQL cannot be reached
     */
    public synchronized int endStaleHolders() throws SQLException {
        Connection lockConnection = connection();
        List<StaleHolder> stale = new ArrayList<>();
        // A holder without a heartbeat row (purged as long dead) counts as stale only once its
        // session has been quiet for the timeout too: a session closing right now is not.
        try (PreparedStatement select = lockConnection.prepareStatement("""
                select l.pid, s.instance_id, s.heartbeat_at
                  from (select distinct pid from pg_locks
                         where locktype = 'advisory' and granted and objsubid = 2 and classid::bigint = ?
                           and database = (select oid from pg_database where datname = current_database())
                           and pid <> pg_backend_pid()) l
                  left join service_instance s on s.role = ? and s.backend_pid = l.pid
                  left join pg_stat_activity a on a.pid = l.pid
                 where s.heartbeat_at < now() - ? * interval '1 millisecond'
                    or (s.instance_id is null and a.state_change < now() - ? * interval '1 millisecond')""")) {
            select.setLong(1, role.lockClass());
            select.setString(2, role.name());
            select.setLong(3, timings.timeout().toMillis());
            select.setLong(4, timings.timeout().toMillis());
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    Timestamp heartbeat = rows.getTimestamp(3);
                    stale.add(new StaleHolder(rows.getInt(1), rows.getString(2),
                            heartbeat == null ? null : heartbeat.toInstant()));
                }
            }
        }
        int ended = 0;
        for (StaleHolder holderToEnd : stale) {
            if (terminate(lockConnection, holderToEnd)) {
                ended++;
            }
        }
        return ended;
    }

    private boolean terminate(Connection lockConnection, StaleHolder stale) throws SQLException {
        try (PreparedStatement terminate = lockConnection.prepareStatement("""
                with ended as (select pg_terminate_backend(?) as done)
                insert into lease_takeover (role, stale_instance, backend_pid, last_heartbeat_at, taken_by)
                select ?, ?, ?, ?, ? from ended where done
                returning 1""")) {
            terminate.setInt(1, stale.pid());
            terminate.setString(2, role.name());
            terminate.setString(3, stale.instance());
            terminate.setInt(4, stale.pid());
            terminate.setTimestamp(5, stale.heartbeat() == null ? null : Timestamp.from(stale.heartbeat()));
            terminate.setString(6, holder);
            try (ResultSet rows = terminate.executeQuery()) {
                if (!rows.next()) {
                    return false; // ended meanwhile, by itself or by another instance
                }
            }
        } catch (SQLException e) {
            if (!INSUFFICIENT_PRIVILEGE.equals(e.getSQLState())) {
                throw e;
            }
            if (!terminationRefused) {
                terminationRefused = true;
                log.error("Cannot end the stale {} lock session {} of {}: the database user may not signal other"
                        + " sessions (grant it pg_signal_backend, or use one user for every instance); its leases"
                        + " stay blocked until PostgreSQL ends that session itself", role, stale.pid(),
                        stale.instance());
            }
            return false;
        }
        log.warn("Ended the {} lock session {} of {}: no renewal since {} (over {} ms ago); its leases are free"
                        + " to take over", role, stale.pid(), stale.instance() == null ? "an unknown instance"
                        : stale.instance(), stale.heartbeat() == null ? "ever" : stale.heartbeat(),
                timings.timeout().toMillis());
        return true;
    }

    /** The term of the current lock session; empty before the first session opened. */
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

    private record StaleHolder(int pid, String instance, Instant heartbeat) {
    }

    /**
     * Forgets instances of this role silent for three windows, and counts the live ones: a fresh
     * heartbeat (see {@link #renew()}) from a session that still exists.
     *
     * @param liveness how recent a heartbeat must be to count
     * @return the live instances of this role, this one included (at least 1)
     * @throws SQLException when PostgreSQL cannot be reached, or the heartbeat table is missing
     */
    public synchronized int liveInstances(Duration liveness) throws SQLException {
        Connection lockConnection = connection();
        long windowMillis = Math.max(1, liveness.toMillis());
        try (PreparedStatement purge = lockConnection.prepareStatement("""
                     delete from service_instance
                      where role = ? and heartbeat_at < now() - ? * interval '1 millisecond'""");
             PreparedStatement count = lockConnection.prepareStatement("""
                     select count(*) from service_instance s
                      where s.role = ? and s.heartbeat_at >= now() - ? * interval '1 millisecond'
                        and (s.backend_pid is null
                             or exists (select 1 from pg_stat_activity a where a.pid = s.backend_pid))""")) {
            purge.setString(1, role.name());
            purge.setLong(2, 3 * windowMillis);
            purge.executeUpdate();
            count.setString(1, role.name());
            count.setLong(2, windowMillis);
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                return Math.max(1, rows.getInt(1));
            }
        }
    }

    /**
     * Deletes this instance's heartbeat, so that the others count it out at once (a graceful
     * stop). Best effort, and only over a lock connection that is still open: without one, the
     * row names a session that no longer exists and counts as dead already.
     */
    public synchronized void leave() {
        if (!registered || connection == null) {
            return;
        }
        registered = false;
        try (PreparedStatement delete = connection.prepareStatement(
                "delete from service_instance where role = ? and instance_id = ?")) {
            delete.setString(1, role.name());
            delete.setString(2, holder);
            delete.executeUpdate();
        } catch (SQLException e) {
            log.warn("Could not delete the {} heartbeat of {}; it expires by itself: {}", role, holder, e.toString());
        }
    }

    /** The role these leases are for. */
    public LeaseRole role() {
        return role;
    }

    /** The destinations this instance holds the lease of. */
    public synchronized Set<String> held() {
        return Set.copyOf(held.keySet());
    }

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

    private boolean tryLock(Connection lockConnection, int destinationId) throws SQLException {
        try (PreparedStatement lock = lockConnection.prepareStatement("select pg_try_advisory_lock(?, ?)")) {
            lock.setInt(1, role.lockClass());
            lock.setInt(2, destinationId);
            try (ResultSet rows = lock.executeQuery()) {
                rows.next();
                return rows.getBoolean(1);
            }
        }
    }

    private void unlockQuietly(Connection lockConnection, int destinationId) {
        try (PreparedStatement unlock = lockConnection.prepareStatement("select pg_advisory_unlock(?, ?)")) {
            unlock.setInt(1, role.lockClass());
            unlock.setInt(2, destinationId);
            unlock.execute();
        } catch (SQLException e) {
            log.warn("Could not unlock {} lease {}; it is freed when the connection closes", role, destinationId, e);
        }
    }

    private static Integer destinationId(Connection lockConnection, String destination) throws SQLException {
        try (PreparedStatement select = lockConnection.prepareStatement("select id from destination where name = ?")) {
            select.setString(1, destination);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? rows.getInt(1) : null;
            }
        }
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
