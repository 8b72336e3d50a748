package org.reseq.model.lease;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

/**
 * The heartbeats of one instance and role in {@code service_instance}, written over the lock
 * connection so that an instance counts as live exactly while it can hold locks. Every time is
 * PostgreSQL's clock, never this JVM's: instances on machines with skewed clocks compare alike.
 *
 * <p>Not thread-safe: used under {@link AdvisoryLockLeases}' lock.
 */
final class Heartbeats {

    private final LeaseRole role;
    private final String instance;

    Heartbeats(LeaseRole role, String instance) {
        this.role = role;
        this.instance = instance;
    }

    /** Records a heartbeat now, with the backend pid that holds this instance's locks. */
    void beat(Connection lockConnection) throws SQLException {
        try (PreparedStatement upsert = lockConnection.prepareStatement("""
                     insert into service_instance (role, instance_id, heartbeat_at, backend_pid)
                     values (?, ?, now(), pg_backend_pid())
                     on conflict (role, instance_id)
                     do update set heartbeat_at = excluded.heartbeat_at, backend_pid = excluded.backend_pid""")) {
            upsert.setString(1, role.name());
            upsert.setString(2, instance);
            upsert.executeUpdate();
        }
    }

    /**
     * Forgets instances of this role silent for three windows, and counts the live ones: a fresh
     * heartbeat from a session that still exists.
     *
     * @return the live instances of this role, this one included (at least 1)
     */
    int live(Connection lockConnection, Duration liveness) throws SQLException {
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

    /** Deletes this instance's heartbeat, so that the others count it out at once. */
    void withdraw(Connection lockConnection) throws SQLException {
        try (PreparedStatement delete = lockConnection.prepareStatement(
                "delete from service_instance where role = ? and instance_id = ?")) {
            delete.setString(1, role.name());
            delete.setString(2, instance);
            delete.executeUpdate();
        }
    }
}
