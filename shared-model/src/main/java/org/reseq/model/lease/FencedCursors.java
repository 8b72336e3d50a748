package org.reseq.model.lease;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * The {@link Cursors} in PostgreSQL's {@code destination_cursor}. Every write names the writer's
 * epoch and matches no row when another holder has taken the lease since: that is reported as a
 * {@link LeaseLostException}, so a stale leader can never move a cursor.
 */
public final class FencedCursors implements Cursors {

    private final DataSource dataSource;

    public FencedCursors(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Moves the lease's cursor to {@code position}, in a transaction that does not wait for its
     * WAL flush ({@code synchronous_commit = off}).
     *
     * <p>Why that is safe: PostgreSQL still applies it atomically and shows it to every session at
     * once, so fencing is unchanged; a crash of PostgreSQL itself can only lose the last few
     * hundred milliseconds of such commits, and always a suffix of them. A lost cursor move is the
     * same as a leader that crashed before making it, which the design already recovers from
     * (work is done again, delivered again with the same idempotency keys). Epochs, messages and
     * dead letters are still committed synchronously. Why it matters: every commit waited for a
     * WAL flush, and the leaders' cursor flushes queued with ingress's, whose acknowledgements
     * must wait for theirs.
     *
     * @throws DestinationDeletedException when the destination was deleted since
     * @throws LeaseLostException when another holder took the lease since {@code lease} was taken,
     *         or the lease's term ended
     * @throws SQLException when PostgreSQL cannot be reached
     */
    @Override
    public void advance(Lease lease, long position) throws SQLException {
        lease.ensureValid();
        try (Connection connection = dataSource.getConnection()) {
            // the pool restores auto-commit when the connection goes back
            connection.setAutoCommit(false);
            try {
                if (update(connection, lease, position) == 0) {
                    // Nothing was written, so the rollback below undoes nothing. Only on this rare
                    // path: was the lease taken over, or did its destination go (perhaps to be
                    // created again under the same name, with another id)?
                    throw incarnationExists(connection, lease) ? new LeaseLostException(lease, "the epoch moved on")
                            : new DestinationDeletedException(lease);
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection, e);
                throw e;
            }
        }
    }

    /** Whether the destination the lease was taken for still exists: the same name and id. */
    private static boolean incarnationExists(Connection connection, Lease lease) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "select 1 from destination where name = ? and id = ?")) {
            select.setString(1, lease.destination());
            select.setInt(2, lease.destinationId());
            try (ResultSet rows = select.executeQuery()) {
                return rows.next();
            }
        }
    }

    private static int update(Connection connection, Lease lease, long position) throws SQLException {
        try (Statement settings = connection.createStatement()) {
            settings.execute("set local synchronous_commit = off");
        }
        try (PreparedStatement update = connection.prepareStatement("""
                update destination_cursor set position = ?, updated_at = now()
                 where destination = ? and role = ? and epoch = ?""")) {
            update.setLong(1, position);
            update.setString(2, lease.destination());
            update.setString(3, lease.role().name());
            update.setLong(4, lease.epoch());
            return update.executeUpdate();
        }
    }

    private static void rollbackQuietly(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    /** The current cursor of {@code destination} in {@code role}, 0 when nothing moved it yet. */
    @Override
    public long position(String destination, LeaseRole role) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "select position from destination_cursor where destination = ? and role = ?")) {
            select.setString(1, destination);
            select.setString(2, role.name());
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? rows.getLong(1) : 0;
            }
        }
    }
}
