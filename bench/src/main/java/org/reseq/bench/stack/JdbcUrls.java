package org.reseq.bench.stack;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/** Plain JDBC connections for the benchmark's own databases on the server the user names. */
public final class JdbcUrls {

    private JdbcUrls() {
    }

    /** The same server and parameters as {@code jdbcUrl}, another database. */
    public static String withDatabase(String jdbcUrl, String database) {
        String prefix = "jdbc:";
        if (!jdbcUrl.startsWith(prefix)) {
            throw new IllegalArgumentException("Not a JDBC URL: " + jdbcUrl);
        }
        URI uri = URI.create(jdbcUrl.substring(prefix.length()));
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        return prefix + uri.getScheme() + "://" + uri.getRawAuthority() + "/" + database + query;
    }

    /**
     * A new, unpooled connection.
     *
     * @param password none when null or empty
     * @param applicationName how the connection shows in {@code pg_stat_activity}; none when null
     */
    public static Connection connect(String url, String user, String password, String applicationName)
            throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        if (password != null && !password.isEmpty()) {
            properties.setProperty("password", password);
        }
        if (applicationName != null) {
            properties.setProperty("ApplicationName", applicationName);
        }
        return DriverManager.getConnection(url, properties);
    }
}
