package org.reseq.model.lease;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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
 * <p>When the dedicated connection breaks, PostgreSQL frees every lock it held: {@link #verify()}
 * notices, forgets all leases and reports them lost, and other instances may take them.
 *
 * <p>The lock connection must not come from a pool: a pooled connection handed back with its
 * locks still held would keep them in a session nobody watches. {@link #unpooled} builds a
 * suitable data source.
 *
 * <p>The same connection carries this instance's heartbeat ({@link #heartbeat}), so an instance
 * counts as live exactly while it can hold locks.
 *
 * <p>Thread-safe: every method is synchronized, since JDBC connections are not.
 */
public final class AdvisoryLockLeases implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AdvisoryLockLeases.class);

    private final DataSource dataSource;
    private final LeaseRole role;
    private final String holder;
    private final Map<String, Lease> held = new HashMap<>();
    private Connection connection;
    private boolean registered;

    /** A data source that opens a new physical connection per call, for the lock connection. */
    public static DataSource unpooled(String jdbcUrl, String user, String password) {
        org.postgresql.ds.PGSimpleDataSource dataSource = new org.postgresql.ds.PGSimpleDataSource();
        dataSource.setUrl(jdbcUrl);
        dataSource.setUser(user);
        if (password != null && !password.isEmpty()) {
            dataSource.setPassword(password);
        }
        dataSource.setConnectTimeout(5);
        dataSource.setSocketTimeout(30); // a hung server looks like a broken session, not a stuck leader
        dataSource.setTcpKeepAlive(true);
        dataSource.setApplicationName("reseq-leases");
        return dataSource;
    }

    /**
     * @param dataSource where the dedicated lock connection comes from: unpooled (see {@link #unpooled})
     * @param role the role these leases are for
     * @param holder names this instance in {@code destination_cursor.holder}
     */
    public AdvisoryLockLeases(DataSource dataSource, LeaseRole role, String holder) {
        this.dataSource = dataSource;
        this.role = role;
        this.holder = holder;
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
                Lease lease = new Lease(destination, destinationId, role, rows.getLong(1), rows.getLong(2));
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

    /** Gives a lease up: the caller has already stopped acting for its destination. */
    public synchronized void release(Lease lease) {
        if (held.remove(lease.destination()) != null && connection != null) {
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
     * Records that this instance is alive (PostgreSQL's clock, not this JVM's), forgets instances
     * of this role silent for three windows, and counts the live ones: a fresh heartbeat from a
     * session that still exists.
     *
     * @param liveness how recent a heartbeat must be to count
     * @return the live instances of this role, this one included (at least 1)
     * @throws SQLException when PostgreSQL cannot be reached, or the heartbeat table is missing
     */
    public synchronized int heartbeat(Duration liveness) throws SQLException {
        Connection lockConnection = connection();
        long windowMillis = Math.max(1, liveness.toMillis());
        try (PreparedStatement upsert = lockConnection.prepareStatement("""
                     insert into service_instance (role, instance_id, heartbeat_at, backend_pid)
                     values (?, ?, now(), pg_backend_pid())
                     on conflict (role, instance_id)
                     do update set heartbeat_at = excluded.heartbeat_at, backend_pid = excluded.backend_pid""");
             PreparedStatement purge = lockConnection.prepareStatement("""
                     delete from service_instance
                      where role = ? and heartbeat_at < now() - ? * interval '1 millisecond'""");
             PreparedStatement count = lockConnection.prepareStatement("""
                     select count(*) from service_instance s
                      where s.role = ? and s.heartbeat_at >= now() - ? * interval '1 millisecond'
                        and (s.backend_pid is null
                             or exists (select 1 from pg_stat_activity a where a.pid = s.backend_pid))""")) {
            upsert.setString(1, role.name());
            upsert.setString(2, holder);
            upsert.executeUpdate();
            registered = true;
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

    private Connection connection() throws SQLException {
        if (connection == null || connection.isClosed()) {
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
