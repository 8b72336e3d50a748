package org.reseq.ingress.admin;

import java.util.List;
import org.reseq.model.lease.LeaseRole;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Who leads a destination now, read from PostgreSQL itself: the session that holds the role's
 * advisory lock on the destination ({@code pg_locks}), matched to the instance that wrote its
 * heartbeat over that session ({@code service_instance.backend_pid}), with the epoch the lease
 * was taken under. A lock is held only by a live session, so a crashed holder never shows.
 */
@Component
class DestinationLeaders {

    private final JdbcClient jdbc;

    DestinationLeaders(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * A role's leader of a destination.
     *
     * @param role what it leads the destination as
     * @param instance the leading instance's id
     * @param epoch the fencing epoch of its lease
     */
    record Leader(LeaseRole role, String instance, long epoch) {
    }

    /** The leaders of a destination (of its incarnation {@code id}), resequencer first; empty when none. */
    List<Leader> of(int id, String name) {
        return jdbc.sql("""
                        select c.role, s.instance_id, c.epoch
                          from destination_cursor c
                          join pg_locks l on l.locktype = 'advisory' and l.granted and l.objsubid = 2
                                         and l.objid = cast(:id as oid)
                                         and l.classid = cast(case c.role when 'RESEQUENCER' then :resequencer
                                                                          else :egress end as oid)
                          join service_instance s on s.role = c.role and s.backend_pid = l.pid
                         where c.destination = :name
                         order by c.role desc""")
                .param("id", id)
                .param("name", name)
                .param("resequencer", LeaseRole.RESEQUENCER.lockClass())
                .param("egress", LeaseRole.EGRESS.lockClass())
                .query((rows, n) -> new Leader(LeaseRole.valueOf(rows.getString(1)), rows.getString(2), rows.getLong(3)))
                .list();
    }
}
