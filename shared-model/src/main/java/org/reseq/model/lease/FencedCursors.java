package org.reseq.model.lease;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Reads and writes the per-destination cursors. Every write names the writer's epoch and
 * matches no row when another holder has taken the lease since: that is reported as a
 * {@link LeaseLostException}, so a stale leader can never move a cursor.
 */
public final class FencedCursors {

    private final DataSource dataSource;

    public FencedCursors(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Moves the lease's cursor to {@code position}.
     *
     * @throws LeaseLostException when another holder took the lease since {@code lease} was taken
     * @throws SQLException when PostgreSQL cannot be reached
     */
    public void advance(Lease lease, long position) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement update = connection.prepareStatement("""
                     update destination_cursor set position = ?, updated_at = now()
                      where destination = ? and role = ? and epoch = ?""")) {
            update.setLong(1, position);
            update.setString(2, lease.destination());
            update.setString(3, lease.role().name());
            update.setLong(4, lease.epoch());
            if (update.executeUpdate() == 0) {
                throw new LeaseLostException(lease, "the epoch moved on");
            }
        }
    }

    /** The current cursor of {@code destination} in {@code role}, 0 when nothing moved it yet. */
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
