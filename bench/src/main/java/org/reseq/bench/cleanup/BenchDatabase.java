package org.reseq.bench.cleanup;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.reseq.bench.stack.JdbcUrls;

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
        return connect(settings, JdbcUrls.withDatabase(settings.jdbcUrl(), NAME));
    }

    private static Connection connect(CleanupSettings settings, String url) throws SQLException {
        return JdbcUrls.connect(url, settings.jdbcUser(), settings.jdbcPassword(), "reseq-bench retention-cleanup");
    }

    /** Drops the database. */
    @Override
    public void close() throws SQLException {
        try (Connection admin = connect(settings, settings.jdbcUrl()); Statement statement = admin.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + NAME + " WITH (FORCE)");
        }
    }
}
