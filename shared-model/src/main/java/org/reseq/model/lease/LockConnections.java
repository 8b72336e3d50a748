package org.reseq.model.lease;

import javax.sql.DataSource;

/**
 * Data sources for lock connections ({@link AdvisoryLockLeases}): one new physical connection per
 * call, never a pooled one, since a pooled connection handed back with its locks still held would
 * keep them in a session nobody watches.
 */
public final class LockConnections {

    private LockConnections() {
    }

    /** A lock data source with {@link LeaseTimings#defaults()}. */
    public static DataSource unpooled(String jdbcUrl, String user, String password) {
        return unpooled(jdbcUrl, user, password, LeaseTimings.defaults());
    }

    /**
     * A data source that opens a new physical connection per call, for the lock connection.
     *
     * <p>Its server-side TCP keepalive and {@code tcp_user_timeout} make PostgreSQL end the
     * session of a host that vanished within about the lease timeout and a half by itself,
     * instead of after the operating system's two hours; its socket timeout makes a statement on a
     * hung server fail rather than hold the renewing thread past the point where the leases are
     * lost anyway.
     */
    public static DataSource unpooled(String jdbcUrl, String user, String password, LeaseTimings timings) {
        org.postgresql.ds.PGSimpleDataSource dataSource = new org.postgresql.ds.PGSimpleDataSource();
        dataSource.setUrl(jdbcUrl);
        dataSource.setUser(user);
        if (password != null && !password.isEmpty()) {
            dataSource.setPassword(password);
        }
        int timeoutSeconds = (int) Math.max(1, timings.timeout().toSeconds());
        dataSource.setConnectTimeout(Math.min(5, timeoutSeconds));
        dataSource.setSocketTimeout(timeoutSeconds);
        dataSource.setTcpKeepAlive(true);
        // A statement that waits for a row lock (a frozen holder's open transaction on a cursor
        // row) must not hold up the renewals that share this connection: it fails after a renewal
        // interval instead, and is tried again at the next tick.
        long renewMillis = Math.max(1, timings.renewInterval().toMillis());
        dataSource.setOptions("-c tcp_keepalives_idle=" + Math.max(1, timeoutSeconds / 2)
                + " -c tcp_keepalives_interval=1 -c tcp_keepalives_count=" + Math.max(1, timeoutSeconds / 2)
                + " -c tcp_user_timeout=" + timings.timeout().toMillis()
                + " -c lock_timeout=" + renewMillis + " -c statement_timeout=" + 2 * renewMillis);
        dataSource.setApplicationName("reseq-leases");
        return dataSource;
    }
}
