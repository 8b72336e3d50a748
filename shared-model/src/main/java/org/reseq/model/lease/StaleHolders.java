package org.reseq.model.lease;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends the lock sessions of instances of one role that hold leases but stopped renewing: frozen,
 * cut off, or on a host that vanished. PostgreSQL then frees their locks. Staleness is judged by
 * PostgreSQL's clock alone (heartbeat and session state), never by comparing machines' clocks.
 *
 * <p>Not thread-safe: used under {@link AdvisoryLockLeases}' lock.
 */
final class StaleHolders {

    private static final Logger log = LoggerFactory.getLogger(StaleHolders.class);
    /** SQLSTATE insufficient_privilege: this user may not signal another user's sessions. */
    private static final String INSUFFICIENT_PRIVILEGE = "42501";

    private final LeaseRole role;
    private final String takenBy;
    private final LeaseTimings timings;
    private boolean terminationRefused;

    StaleHolders(LeaseRole role, String takenBy, LeaseTimings timings) {
        this.role = role;
        this.takenBy = takenBy;
        this.timings = timings;
    }

    /**
     * Ends every stale holder's session of this database, logging and recording each take-over
     * in {@code lease_takeover}.
     *
     * @return how many sessions were ended
     */
    int end(Connection lockConnection) throws SQLException {
        int ended = 0;
        for (StaleHolder stale : find(lockConnection)) {
            if (terminate(lockConnection, stale)) {
                ended++;
            }
        }
        return ended;
    }

    private List<StaleHolder> find(Connection lockConnection) throws SQLException {
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
        return stale;
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
            terminate.setString(6, takenBy);
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

    private record StaleHolder(int pid, String instance, Instant heartbeat) {
    }
}
