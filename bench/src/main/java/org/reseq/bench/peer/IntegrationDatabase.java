package org.reseq.bench.peer;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.reseq.bench.stack.JdbcUrls;
import org.springframework.core.io.ClassPathResource;
import org.springframework.integration.jdbc.store.JdbcMessageStore;
import org.springframework.integration.store.MessageGroupStore;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

/**
 * Spring Integration's JDBC message store in a database of its own on the given PostgreSQL server,
 * with the tables of Spring Integration's own {@code schema-postgresql.sql}.
 *
 * <p>Each run creates them afresh in a schema of its own, dropped when the run ends: every run
 * starts empty, and two benchmarks sharing the server (or a test beside a benchmark) cannot drop
 * each other's tables mid-run.
 */
final class IntegrationDatabase implements MessageStores.Opened {

    static final String NAME = "reseq_bench_peers";
    private static final String SCRIPTS = "org/springframework/integration/jdbc/";
    private static final int POOL_SIZE = 8;

    private static final AtomicInteger RUNS = new AtomicInteger();

    private final PeerSettings settings;
    private final String schema;
    private final HikariDataSource pool;
    private final JdbcMessageStore store;

    private IntegrationDatabase(PeerSettings settings, String schema, HikariDataSource pool, JdbcMessageStore store) {
        this.settings = settings;
        this.schema = schema;
        this.pool = pool;
        this.store = store;
    }

    static IntegrationDatabase open(PeerSettings settings) throws SQLException {
        createIfMissing(settings);
        String schema = "run_" + ProcessHandle.current().pid() + "_" + RUNS.incrementAndGet();
        execute(settings, JdbcUrls.withDatabase(settings.jdbcUrl(), NAME),
                "DROP SCHEMA IF EXISTS " + schema + " CASCADE", "CREATE SCHEMA " + schema);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(JdbcUrls.withDatabase(settings.jdbcUrl(), NAME));
        config.setUsername(settings.jdbcUser());
        config.setPassword(settings.jdbcPassword());
        config.setSchema(schema);
        config.setMaximumPoolSize(POOL_SIZE);
        config.setPoolName("si-jdbc");
        HikariDataSource pool = new HikariDataSource(config);
        try {
            new ResourceDatabasePopulator(new ClassPathResource(SCRIPTS + "schema-postgresql.sql")).execute(pool);
            JdbcMessageStore store = new JdbcMessageStore(pool);
            store.setBeanClassLoader(IntegrationDatabase.class.getClassLoader());
            return new IntegrationDatabase(settings, schema, pool, store);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    private static void createIfMissing(PeerSettings settings) throws SQLException {
        try (Connection connection = connect(settings, settings.jdbcUrl());
                PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, NAME);
            try (ResultSet row = exists.executeQuery()) {
                if (row.next()) {
                    return;
                }
            }
            try (Statement create = connection.createStatement()) {
                create.execute("CREATE DATABASE " + NAME);
            } catch (SQLException e) {
                // Another run created it meanwhile (duplicate_database, or unique_violation in the
                // catalogue when both tried at once): that is all we wanted.
                if (!"42P04".equals(e.getSQLState()) && !"23505".equals(e.getSQLState())) {
                    throw e;
                }
            }
        }
    }

    private static void execute(PeerSettings settings, String url, String... statements) throws SQLException {
        try (Connection connection = connect(settings, url); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private static Connection connect(PeerSettings settings, String url) throws SQLException {
        return JdbcUrls.connect(url, settings.jdbcUser(), settings.jdbcPassword(), null);
    }

    @Override
    public MessageGroupStore store() {
        return store;
    }

    @Override
    public void close() throws SQLException {
        pool.close();
        execute(settings, JdbcUrls.withDatabase(settings.jdbcUrl(), NAME), "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
}
