package org.reseq.ingress.admin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/** Channels and their routes ({@code channel_destination}, in position order) in PostgreSQL. */
@Component
class ChannelStore {

    /**
     * @param name the channel's name
     * @param destinations where its messages go, in order
     */
    record Channel(String name, List<String> destinations) {
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

    /** Creates the channel or replaces its routes, unless a destination does not exist. */
    Write put(String name, List<String> destinations) {
        return transactions.execute(status -> {
            // "for key share" keeps the destinations from being deleted before this commits.
            Set<String> existing = new TreeSet<>(jdbc.sql("select name from destination where name in (:names) for key share")
                    .param("names", destinations).query(String.class).list());
            Set<String> missing = new TreeSet<>(destinations);
            missing.removeAll(existing);
            if (!missing.isEmpty()) {
                return new Write(false, missing);
            }
            boolean created = jdbc.sql("insert into channel (name) values (:name) on conflict (name) do nothing")
                    .param("name", name).update() == 1;
            if (!created) {
                jdbc.sql("update channel set updated_at = now() where name = :name").param("name", name).update();
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
                select c.name, cd.destination
                  from channel c left join channel_destination cd on cd.channel = c.name
                 order by c.name, cd.position""").query((rows, n) -> new String[] {rows.getString(1), rows.getString(2)})
                .list());
    }

    Optional<Channel> find(String name) {
        return channels(jdbc.sql("""
                select c.name, cd.destination
                  from channel c left join channel_destination cd on cd.channel = c.name
                 where c.name = :name
                 order by cd.position""").param("name", name)
                .query((rows, n) -> new String[] {rows.getString(1), rows.getString(2)}).list())
                .stream().findFirst();
    }

    /** @return false when there is no such channel (its routes go with it) */
    boolean delete(String name) {
        return jdbc.sql("delete from channel where name = :name").param("name", name).update() == 1;
    }

    private static List<Channel> channels(List<String[]> rows) {
        Map<String, List<String>> routes = new LinkedHashMap<>();
        for (String[] row : rows) {
            List<String> destinations = routes.computeIfAbsent(row[0], name -> new ArrayList<>());
            if (row[1] != null) {
                destinations.add(row[1]);
            }
        }
        return routes.entrySet().stream().map(e -> new Channel(e.getKey(), List.copyOf(e.getValue()))).toList();
    }
}
