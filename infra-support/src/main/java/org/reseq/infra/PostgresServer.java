package org.reseq.infra;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * A PostgreSQL server to run against, with a superuser that may create databases.
 *
 * @param host where it listens
 * @param port its port
 * @param user a role allowed to create databases
 * @param password that role's password, empty for trust authentication
 * @param source where the server comes from
 */
public record PostgresServer(String host, int port, String user, String password, Source source) {

    /** The JDBC URL of {@code database} on this server. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    /** Creates {@code database} unless it exists, and returns its JDBC URL. */
    public String createDatabaseIfMissing(String database) {
        if (!database.matches("[a-z0-9_]{1,63}")) {
            throw new IllegalArgumentException("Unsafe database name: " + database);
        }
        try (Connection connection = connect("postgres");
             Statement statement = connection.createStatement()) {
            var exists = statement.executeQuery("select 1 from pg_database where datname = '" + database + "'");
            if (!exists.next()) {
                statement.execute("create database " + database);
            }
        } catch (SQLException e) {
            if (!"42P04".equals(e.getSQLState())) { // duplicate_database: a concurrent start created it
                throw new IllegalStateException("Cannot create database " + database + " on " + this, e);
            }
        }
        return jdbcUrl(database);
    }

    /**
     * Creates a new, empty database named after {@code hint} plus a random suffix, so that test
     * classes never see each other's rows, and returns its JDBC URL.
     */
    public String createFreshDatabase(String hint) {
        String base = hint.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
        String suffix = Long.toString(java.util.concurrent.ThreadLocalRandom.current().nextLong(1L << 40), 36);
        String name = ("reseq_" + base).substring(0, Math.min(50, ("reseq_" + base).length())) + "_" + suffix;
        return createDatabaseIfMissing(name);
    }

    /** Opens a connection to {@code database} as this server's user. */
    public Connection connect(String database) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        if (!password.isEmpty()) {
            properties.setProperty("password", password);
        }
        properties.setProperty("connectTimeout", "2");
        return DriverManager.getConnection(jdbcUrl(database), properties);
    }

    @Override
    public String toString() {
        return "PostgreSQL " + source + " at " + host + ":" + port;
    }
}
