package org.reseq.bench.cleanup;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * The benchmark's own database, {@value #NAME}, on the server the settings name: dropped and
 * created at the start (so that every invocation starts empty, whatever an interrupted one left)
 * and dropped at the end. Hands out plain connections to it: each thread of a run owns one.
 */
final class BenchDatabase implements AutoCloseable {

    static final String NAME = "reseq_cleanup_bench";

    private final CleanupSettings settings;

    private BenchDatabase(CleanupSettings settings) {
        this.settings = settings;
    }

    static BenchDatabase create(CleanupSettings settings) throws SQLException {
        try (Connection admin = connect(settings, settings.jdbcUrl()); Statement statement = admin.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + NAME + " WITH (FORCE)");
            statement.execute("CREATE DATABASE " + NAME);
        }
        return new BenchDatabase(settings);
    }

    /** A new connection to the benchmark's database, in auto-commit mode. */
    Connection connect() throws SQLException {
        return connect(settings, withDatabase(settings.jdbcUrl(), NAME));
    }

    private static Connection connect(CleanupSettings settings, String url) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", settings.jdbcUser());
        if (settings.jdbcPassword() != null && !settings.jdbcPassword().isEmpty()) {
            properties.setProperty("password", settings.jdbcPassword());
        }
        properties.setProperty("ApplicationName", "reseq-bench retention-cleanup");
        return DriverManager.getConnection(url, properties);
    }

    /** The same server and parameters as {@code jdbcUrl}, another database. */
    static String withDatabase(String jdbcUrl, String database) {
        String prefix = "jdbc:";
        if (!jdbcUrl.startsWith(prefix)) {
            throw new IllegalArgumentException("Not a JDBC URL: " + jdbcUrl);
        }
        URI uri = URI.create(jdbcUrl.substring(prefix.length()));
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        return prefix + uri.getScheme() + "://" + uri.getRawAuthority() + "/" + database + query;
    }

    /** Drops the database. */
    @Override
    public void close() throws SQLException {
        try (Connection admin = connect(settings, settings.jdbcUrl()); Statement statement = admin.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + NAME + " WITH (FORCE)");
        }
    }
}
