package org.reseq.bench.soak;

import java.util.Map;
import java.util.TreeMap;

/**
 * What ingress's retention gauges and counters said at one moment.
 *
 * @param nanos when it was read ({@link System#nanoTime()})
 * @param tableBytes per table, its size on disk with its indexes
 * @param removedRows per table, the rows retention removed since ingress started
 * @param oldestMessageSeconds the age of the oldest message still stored
 */
public record StoreReading(long nanos, Map<String, Double> tableBytes, Map<String, Double> removedRows,
        double oldestMessageSeconds) {

    public StoreReading {
        tableBytes = new TreeMap<>(tableBytes);
        removedRows = new TreeMap<>(removedRows);
    }

    /** @return the table's size in MiB, 0 when it was not reported */
    public double tableMib(String table) {
        return tableBytes.getOrDefault(table, 0.0) / 1048576.0;
    }

    /** @return rows of {@code table} removed between {@code earlier} and this reading */
    public long removedSince(StoreReading earlier, String table) {
        return Math.round(removedRows.getOrDefault(table, 0.0) - earlier.removedRows.getOrDefault(table, 0.0));
    }
}
