package org.reseq.infra;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * One test class's own PostgreSQL database and Redis key prefix, on the servers
 * {@link Infrastructure} found, so test classes never see each other's data.
 */
public final class TestInfrastructure {

    private final String jdbcUrl;
    private final String database;
    private final String redisPrefix;

    private TestInfrastructure(String hint) {
        this.jdbcUrl = Infrastructure.postgres().createFreshDatabase(hint);
        this.database = jdbcUrl.substring(jdbcUrl.lastIndexOf('/') + 1);
        this.redisPrefix = "test-" + UUID.randomUUID() + ":";
    }

    public static TestInfrastructure fresh(String hint) {
        return new TestInfrastructure(hint);
    }

    /** Points a Spring test's data source, Redis and key prefix at this infrastructure. */
    public void register(DynamicPropertyRegistry registry) {
        PostgresServer postgres = Infrastructure.postgres();
        registry.add("spring.datasource.url", () -> jdbcUrl);
        registry.add("spring.datasource.username", postgres::user);
        registry.add("spring.datasource.password", postgres::password);
        registry.add("spring.data.redis.url", () -> Infrastructure.redis().url());
        registry.add("reseq.redis.key-prefix", () -> redisPrefix);
    }

    public String redisPrefix() {
        return redisPrefix;
    }

    /** Makes PostgreSQL refuse this database: no new connections, and the open ones are cut. */
    public void refuseConnections() throws SQLException {
        refuseConnectionsSparing("");
    }

    /**
     * Like {@link #refuseConnections()}, except that open sessions named {@code applicationName}
     * (for example the lease sessions, {@code reseq-leases}) survive.
     *
     * <p>The sessions are ended twice, the second time after a pause on the server: a connection
     * that passed its database check just before the database closed shows in
     * {@code pg_stat_activity} only at the end of its start-up, so the first sweep can miss it.
     */
    public void refuseConnectionsSparing(String applicationName) throws SQLException {
        try (Connection admin = Infrastructure.postgres().connect("postgres");
             Statement statement = admin.createStatement()) {
            statement.execute("alter database " + database + " allow_connections false");
            try (PreparedStatement terminate = admin.prepareStatement("""
                    select pg_terminate_backend(pid) from pg_stat_activity
                     where datname = ? and pid <> pg_backend_pid() and application_name <> ?""")) {
                terminate.setString(1, database);
                terminate.setString(2, applicationName);
                terminate.execute();
                statement.execute("select pg_sleep(0.1)");
                terminate.execute();
            }
        }
    }

    public void allowConnections() throws SQLException {
        try (Connection admin = Infrastructure.postgres().connect("postgres");
             Statement statement = admin.createStatement()) {
            statement.execute("alter database " + database + " allow_connections true");
        }
    }
}
