package org.reseq.bench.peer;

import java.time.Duration;

/**
 * What the peers need from the benchmark's command line.
 *
 * @param jdbcUrl a PostgreSQL server to put Spring Integration's JDBC message store on (any
 *     database of it: the peer creates and uses its own); only {@code si-jdbc} needs it
 * @param jdbcUser the user to connect as
 * @param jdbcPassword its password, null or empty for none
 * @param maxRunTime how long a peer may generate arrivals; it then drains for at most 30 s more,
 *     so that a slow peer never holds up the benchmark for long
 */
public record PeerSettings(String jdbcUrl, String jdbcUser, String jdbcPassword, Duration maxRunTime) {

    public PeerSettings {
        if (maxRunTime == null || maxRunTime.isNegative() || maxRunTime.isZero()) {
            throw new IllegalArgumentException("maxRunTime must be positive: " + maxRunTime);
        }
    }
}
