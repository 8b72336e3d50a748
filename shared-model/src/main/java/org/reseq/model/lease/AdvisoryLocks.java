package org.reseq.model.lease;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The statements that take and give up one role's leases on a lock connection: a session
 * advisory lock per destination (class = the role, key = the destination's id), and an epoch in
 * {@code destination_cursor} bumped at every take, which fences whatever a former holder still
 * tries to write.
 *
 * <p>Stateless apart from its settings; used under {@link AdvisoryLockLeases}' lock.
 */
final class AdvisoryLocks {

    private static final Logger log = LoggerFactory.getLogger(AdvisoryLocks.class);

    private final LeaseRole role;
    private final String holder;

    AdvisoryLocks(LeaseRole role, String holder) {
        this.role = role;
        this.holder = holder;
    }

    /**
     * Locks {@code destination} for this session and bumps its epoch.
     *
     * @return the lease, empty when another session holds the lock or the destination does not exist
     */
    Optional<Lease> take(Connection lockConnection, String destination, LeaseTerm term) throws SQLException {
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
                return Optional.of(new Lease(destination, destinationId, role, rows.getLong(1), rows.getLong(2), term));
            }
        } catch (SQLException | RuntimeException e) {
            unlock(lockConnection, destinationId);
            throw e;
        }
    }

    /** Unlocks a destination; on failure the lock is freed when the connection closes. */
    void unlock(Connection lockConnection, int destinationId) {
        try (PreparedStatement unlock = lockConnection.prepareStatement("select pg_advisory_unlock(?, ?)")) {
            unlock.setInt(1, role.lockClass());
            unlock.setInt(2, destinationId);
            unlock.execute();
        } catch (SQLException e) {
            log.warn("Could not unlock {} lease {}; it is freed when the connection closes", role, destinationId, e);
        }
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

    private static Integer destinationId(Connection lockConnection, String destination) throws SQLException {
        try (PreparedStatement select = lockConnection.prepareStatement("select id from destination where name = ?")) {
            select.setString(1, destination);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? rows.getInt(1) : null;
            }
        }
    }
}
