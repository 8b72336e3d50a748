package org.reseq.ingress.admin;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Channels, their routes ({@code channel_destination}, in position order) and the header names
 * they keep ({@code channel.keep_headers}) in PostgreSQL.
 */
@Component
class ChannelStore {

    /**
     * @param name the channel's name
     * @param destinations where its messages go, in order
     * @param keepHeaders the sender headers its messages keep, in order and as spelled
     */
    record Channel(String name, List<String> destinations, List<String> keepHeaders) {
    }

    /**
     * @param created true when the channel is new
     * @param missing destinations that do not exist; when not empty, nothing was written
     */
    record Write(boolean created, Set<String> missing) {
    }

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;

    ChannelStore(JdbcClient jdbc, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    /** Creates the channel or replaces its routes and kept headers, unless a destination does not exist. */
    Write put(String name, List<String> destinations, List<String> keepHeaders) {
        return transactions.execute(status -> {
            // "for key share" keeps the destinations from being deleted before this commits.
            Set<String> existing = new TreeSet<>(jdbc.sql("select name from destination where name in (:names) for key share")
                    .param("names", destinations).query(String.class).list());
            Set<String> missing = new TreeSet<>(destinations);
            missing.removeAll(existing);
            if (!missing.isEmpty()) {
                return new Write(false, missing);
            }
            String[] keep = keepHeaders.toArray(String[]::new);
            boolean created = jdbc.sql("""
                            insert into channel (name, keep_headers) values (:name, :keep)
                            on conflict (name) do nothing""")
                    .param("name", name).param("keep", keep).update() == 1;
            if (!created) {
                jdbc.sql("update channel set updated_at = now(), keep_headers = :keep where name = :name")
                        .param("name", name).param("keep", keep).update();
                jdbc.sql("delete from channel_destination where channel = :name").param("name", name).update();
            }
            for (int position = 0; position < destinations.size(); position++) {
                jdbc.sql("""
                                insert into channel_destination (channel, destination, position)
                                values (:channel, :destination, :position)""")
                        .param("channel", name).param("destination", destinations.get(position))
                        .param("position", position).update();
            }
            return new Write(created, Set.of());
        });
    }

    List<Channel> all() {
        return channels(jdbc.sql("""
                select c.name, cd.destination, c.keep_headers
                  from channel c left join channel_destination cd on cd.channel = c.name
                 order by c.name, cd.position""").query(ChannelStore::row).list());
    }

    Optional<Channel> find(String name) {
        return channels(jdbc.sql("""
                select c.name, cd.destination, c.keep_headers
                  from channel c left join channel_destination cd on cd.channel = c.name
                 where c.name = :name
                 order by cd.position""").param("name", name).query(ChannelStore::row).list())
                .stream().findFirst();
    }

    private static Row row(ResultSet rows, int n) throws SQLException {
        Array keep = rows.getArray(3);
        return new Row(rows.getString(1), rows.getString(2),
                keep == null ? List.of() : List.of((String[]) keep.getArray()));
    }

    /** One route of a channel, or the channel alone (destination null), with the channel's kept headers. */
    private record Row(String channel, String destination, List<String> keepHeaders) {
    }

    /** @return false when there is no such channel (its routes go with it) */
    boolean delete(String name) {
        return jdbc.sql("delete from channel where name = :name").param("name", name).update() == 1;
    }

    private static List<Channel> channels(List<Row> rows) {
        Map<String, List<String>> routes = new LinkedHashMap<>();
        Map<String, List<String>> keep = new HashMap<>();
        for (Row row : rows) {
            List<String> destinations = routes.computeIfAbsent(row.channel(), name -> new ArrayList<>());
            if (row.destination() != null) {
                destinations.add(row.destination());
            }
            keep.putIfAbsent(row.channel(), row.keepHeaders());
        }
        return routes.entrySet().stream()
                .map(e -> new Channel(e.getKey(), List.copyOf(e.getValue()), keep.get(e.getKey()))).toList();
    }
}
