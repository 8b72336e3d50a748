package org.reseq.model.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.reseq.infra.Infrastructure;

/**
 * Take-over of a holder that stopped renewing, against a real PostgreSQL: its session stays open
 * (as a frozen process's does), so only the timeout frees its leases; the silent holder's own
 * term has ended before that, and it rejoins as a fresh contender.
 */
class LeaseTakeoverIntegrationTests {

    /** Renew every 100 ms, take over after 1 s of silence; the holder itself stops after 800 ms. */
    private static final LeaseTimings TIMINGS = new LeaseTimings(Duration.ofMillis(100), Duration.ofSeconds(1));

    private static HikariDataSource dataSource;
    private static DataSource lockConnections;

    @BeforeAll
    static void migrate() throws SQLException {
        dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(Infrastructure.postgres().createFreshDatabase("takeover"));
        dataSource.setUsername(Infrastructure.postgres().user());
        dataSource.setPassword(Infrastructure.postgres().password());
        lockConnections = LockConnections.unpooled(dataSource.getJdbcUrl(), dataSource.getUsername(),
                dataSource.getPassword(), TIMINGS);
        Flyway.configure().dataSource(dataSource).load().migrate();
        execute("insert into destination (name, config) values ('frozen', '{}'), ('alive', '{}'), ('woken', '{}')");
    }

    @AfterAll
    static void close() {
        dataSource.close();
    }

    @Test
    void aSilentHoldersLeaseIsTakenOverWithAHigherEpochAfterTheTimeout() throws Exception {
        try (var silent = new AdvisoryLockLeases(lockConnections, LeaseRole.EGRESS, "silent", TIMINGS);
             var live = new AdvisoryLockLeases(lockConnections, LeaseRole.EGRESS, "live", TIMINGS)) {
            // Its heartbeat is written within tryAcquire: measure silence from before it.
            long silentSince = System.nanoTime();
            Lease old = silent.tryAcquire("frozen").orElseThrow();
            live.renew();

            assertThat(live.endStaleHolders()).as("a fresh heartbeat is left alone").isZero();
            assertThat(live.tryAcquire("frozen")).isEmpty();

            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() -> {
                live.renew();
                return live.endStaleHolders() == 1;
            });
            long endedAfter = System.nanoTime() - silentSince;
            Lease taken = await().atMost(Duration.ofSeconds(2)).until(() -> live.tryAcquire("frozen").orElse(null),
                    lease -> lease != null);

            assertThat(Duration.ofNanos(endedAfter)).isGreaterThanOrEqualTo(TIMINGS.timeout());
            assertThat(taken.epoch()).isGreaterThan(old.epoch());
            assertThatThrownBy(old::ensureValid).as("the silent holder stopped before the take-over")
                    .isInstanceOf(LeaseLostException.class);
            assertThat(count("select count(*) from lease_takeover where stale_instance = 'silent' and taken_by = 'live'"))
                    .isEqualTo(1);
        }
    }

    private static long count(String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static void execute(String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
