package org.reseq.ingress.backpressure;

import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Reads a channel's limited destinations from PostgreSQL in one query: the limit from the stored
 * configuration, the backlog as the last sequence minus the EGRESS cursor.
 */
public final class JdbcBacklogSource implements BacklogSource {

    // Stored configurations leave absent fields out, so a destination without a limit has no key.
    private static final String LIMITED = """
            select d.name, (d.config ->> 'maxBacklog')::bigint as max_backlog,
                   s.last_sequence - coalesce(e.position, 0) as backlog
              from channel_destination cd
              join destination d on d.name = cd.destination
              join destination_sequence s on s.destination = d.name
              left join destination_cursor e on e.destination = d.name and e.role = 'EGRESS'
             where cd.channel = :channel and d.config ->> 'maxBacklog' is not null
             order by cd.position""";

    private final JdbcClient jdbc;

    public JdbcBacklogSource(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public List<DestinationBacklog> limitedDestinations(String channel) {
        return jdbc.sql(LIMITED).param("channel", channel)
                .query((rows, number) -> new DestinationBacklog(rows.getString("name"), rows.getLong("backlog"),
                        rows.getLong("max_backlog")))
                .list();
    }
}
