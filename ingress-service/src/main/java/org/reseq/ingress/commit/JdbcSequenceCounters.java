package org.reseq.ingress.commit;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;

/** Takes ranges of sequences from the destinations' counters ({@code destination_sequence}). */
final class JdbcSequenceCounters {

    private static final String LOCK_SEQUENCES = """
            select destination from destination_sequence
             where destination = any (?) order by destination for update""";
    private static final String TAKE_SEQUENCES = """
            update destination_sequence s set last_sequence = s.last_sequence + t.taken
              from unnest(?::text[], ?::int[]) as t(destination, taken)
             where s.destination = t.destination
            returning s.destination, s.last_sequence""";

    private JdbcSequenceCounters() {
    }

    /**
     * Adds {@code counts} to the destinations' last sequences in one statement, and returns the new
     * last sequence of each, in name order. Two destinations or more are locked first, in name
     * order, so that concurrent committers (several ingress instances) never wait on each other in
     * a cycle; the update alone would lock them in whatever order its plan visits them.
     */
    static Map<String, Long> take(Connection connection, SortedMap<String, Integer> counts) throws SQLException {
        Map<String, Long> lastSequences = new LinkedHashMap<>();
        if (counts.isEmpty()) {
            return lastSequences;
        }
        String[] destinations = counts.keySet().toArray(String[]::new);
        Array names = connection.createArrayOf("text", destinations);
        if (destinations.length > 1) {
            try (PreparedStatement lock = connection.prepareStatement(LOCK_SEQUENCES)) {
                lock.setArray(1, names);
                lock.executeQuery().close();
            }
        }
        Map<String, Long> taken = new HashMap<>();
        try (PreparedStatement update = connection.prepareStatement(TAKE_SEQUENCES)) {
            update.setArray(1, names);
            update.setArray(2, connection.createArrayOf("int4", counts.values().toArray()));
            try (ResultSet rows = update.executeQuery()) {
                while (rows.next()) {
                    taken.put(rows.getString(1), rows.getLong(2));
                }
            }
        }
        for (String destination : destinations) {
            Long last = taken.get(destination);
            if (last == null) {
                throw new IllegalStateException("No sequence row for destination " + destination);
            }
            lastSequences.put(destination, last);
        }
        return lastSequences;
    }
}
