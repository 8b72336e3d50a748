package org.reseq.model.lease;

import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.reseq.infra.Infrastructure;

/** The lease contract against a real PostgreSQL, where time passes for real. */
class AdvisoryLockLeasesIntegrationTests extends LeasesContract {

    private static final AtomicInteger DESTINATIONS = new AtomicInteger();
    private static HikariDataSource dataSource;
    private static DataSource lockConnections;

    @BeforeAll
    static void migrate() {
        dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(Infrastructure.postgres().createFreshDatabase("leases_contract"));
        dataSource.setUsername(Infrastructure.postgres().user());
        dataSource.setPassword(Infrastructure.postgres().password());
        lockConnections = LockConnections.unpooled(dataSource.getJdbcUrl(), dataSource.getUsername(),
                dataSource.getPassword(), TIMINGS);
        Flyway.configure().dataSource(dataSource).load().migrate();
    }

    @AfterAll
    static void close() {
        dataSource.close();
    }

    @Override
    Leases newLeases(LeaseRole role, String instance) {
        return new AdvisoryLockLeases(lockConnections, role, instance, TIMINGS);
    }

    @Override
    String newDestination() {
        String name = "d" + DESTINATIONS.incrementAndGet();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement(
                     "insert into destination (name, config) values (?, '{}')")) {
            insert.setString(1, name);
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return name;
    }

    @Override
    void elapse(Duration duration) {
        long until = System.nanoTime() + duration.toNanos();
        await().pollDelay(duration).atMost(duration.plusSeconds(5)).until(() -> System.nanoTime() - until >= 0);
    }
}
