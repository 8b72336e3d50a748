package org.reseq.bench.cleanup;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * How big the variant's tables are at one moment: {@code pg_total_relation_size} (heap, TOAST,
 * indexes) summed over message and delivery and all their partitions, the live and dead tuples
 * the statistics count in them, and how many partitions there are.
 *
 * @param bytes total size of tables and indexes
 * @param liveTuples live tuples, message and delivery
 * @param deadTuples dead tuples, message and delivery
 * @param partitions leaf partitions of message and delivery (0 when not partitioned)
 */
record StoreSample(long bytes, long liveTuples, long deadTuples, int partitions) {

    /** The tables themselves and every partition under them. */
    private static final String RELATIONS = """
            select relid from pg_partition_tree('message') union select relid from pg_partition_tree('delivery')
            union select 'message'::regclass union select 'delivery'::regclass""";

    static StoreSample take(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "with r as (" + RELATIONS + ") select"
                        + " (select coalesce(sum(pg_total_relation_size(relid)), 0) from r),"
                        + " (select coalesce(sum(n_live_tup), 0) from pg_stat_user_tables where relid in (select relid from r)),"
                        + " (select coalesce(sum(n_dead_tup), 0) from pg_stat_user_tables where relid in (select relid from r)),"
                        + " (select count(*) from pg_partition_tree('message') where isleaf and level > 0)"
                        + " + (select count(*) from pg_partition_tree('delivery') where isleaf and level > 0)");
                ResultSet row = select.executeQuery()) {
            row.next();
            return new StoreSample(row.getLong(1), row.getLong(2), row.getLong(3), row.getInt(4));
        }
    }

    double mebibytes() {
        return bytes / 1048576.0;
    }
}
