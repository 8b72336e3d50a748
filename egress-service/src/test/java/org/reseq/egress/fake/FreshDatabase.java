package org.reseq.egress.fake;

import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.reseq.infra.Infrastructure;

/**
 * A PostgreSQL database of its own for a contract test class that runs without a Spring context,
 * on the server {@link Infrastructure} found, migrated to the current schema.
 */
public final class FreshDatabase {

    private FreshDatabase() {
    }

    /** A new database named after {@code hint}, migrated; the caller closes the data source. */
    public static HikariDataSource migrated(String hint) {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(Infrastructure.postgres().createFreshDatabase(hint));
        dataSource.setUsername(Infrastructure.postgres().user());
        dataSource.setPassword(Infrastructure.postgres().password());
        dataSource.setMaximumPoolSize(2);
        Flyway.configure().dataSource(dataSource).load().migrate();
        return dataSource;
    }
}
