package org.reseq.model.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.reseq.infra.Infrastructure;

/**
 * Fenced cursors and lost lock sessions against a real PostgreSQL; the lease contract itself is
 * {@link LeasesContract}.
 */
class LeaseIntegrationTests {

    private static HikariDataSource dataSource;
    private static javax.sql.DataSource lockConnections;

    @BeforeAll
    static void migrate() throws SQLException {
        dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(Infrastructure.postgres().createFreshDatabase("lease"));
        dataSource.setUsername(Infrastructure.postgres().user());
        dataSource.setPassword(Infrastructure.postgres().password());
        lockConnections = LockConnections.unpooled(dataSource.getJdbcUrl(), dataSource.getUsername(),
                dataSource.getPassword());
        Flyway.configure().dataSource(dataSource).load().migrate();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            for (String name : new String[] {"orders", "audit", "billing", "gone", "retired"}) {
                statement.execute("insert into destination (name, config) values ('" + name + "', '{}')");
            }
        }
    }

    @AfterAll
    static void close() {
        dataSource.close();
    }

    @Test
    void aStaleHolderCannotMoveTheCursor() throws SQLException {
        FencedCursors cursors = new FencedCursors(dataSource);
        try (var first = new AdvisoryLockLeases(lockConnections, LeaseRole.RESEQUENCER, "first");
             var second = new AdvisoryLockLeases(lockConnections, LeaseRole.RESEQUENCER, "second")) {
            Lease stale = first.tryAcquire("billing").orElseThrow();
            cursors.advance(stale, 10);
            first.close(); // as if its session had ended during a long pause
            Lease current = second.tryAcquire("billing").orElseThrow();

            assertThatThrownBy(() -> cursors.advance(stale, 20)).isInstanceOf(LeaseLostException.class)
                    .isNotInstanceOf(DestinationDeletedException.class);
            cursors.advance(current, 15);

            assertThat(current.position()).isEqualTo(10);
            assertThat(cursors.position("billing", LeaseRole.RESEQUENCER)).isEqualTo(15);
        }
    }

    @Test
    void aHolderWhoseDestinationWasDeletedIsToldSo() throws SQLException {
        FencedCursors cursors = new FencedCursors(dataSource);
        try (var holder = new AdvisoryLockLeases(lockConnections, LeaseRole.EGRESS, "holder")) {
            Lease lease = holder.tryAcquire("retired").orElseThrow();
            cursors.advance(lease, 3);
            try (Connection connection = dataSource.getConnection();
                 Statement statement = connection.createStatement()) {
                statement.execute("delete from destination where name = 'retired'");
            }

            assertThatThrownBy(() -> cursors.advance(lease, 4)).isInstanceOf(DestinationDeletedException.class)
                    .hasMessageContaining("retired");
        }
    }

    @Test
    void aBrokenLockConnectionLosesEveryLeaseAndFreesTheLocks() throws SQLException {
        try (var first = new AdvisoryLockLeases(lockConnections, LeaseRole.RESEQUENCER, "first");
             var second = new AdvisoryLockLeases(lockConnections, LeaseRole.RESEQUENCER, "second")) {
            first.tryAcquire("gone").orElseThrow();
            terminateSessionsOf("first");

            assertThat(first.verify()).isFalse();
            assertThat(first.held()).isEmpty();
            assertThat(second.tryAcquire("gone")).isPresent();
        }
    }

    /** Ends the PostgreSQL session that holds the locks of {@code holder}, as a network fault would. */
    private static void terminateSessionsOf(String holder) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("""
                    select pg_terminate_backend(l.pid) from pg_locks l
                     where l.locktype = 'advisory' and l.classid = 1
                       and l.objid = (select id from destination where name = 'gone')""");
        }
    }
}
