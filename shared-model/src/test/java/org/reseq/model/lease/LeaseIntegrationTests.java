package org.reseq.model.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.reseq.infra.Infrastructure;

/** The lease primitive against a real PostgreSQL: one holder at a time, and fenced cursors. */
class LeaseIntegrationTests {

    private static HikariDataSource dataSource;
    private static javax.sql.DataSource lockConnections;

    @BeforeAll
    static void migrate() throws SQLException {
        dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(Infrastructure.postgres().createFreshDatabase("lease"));
        dataSource.setUsername(Infrastructure.postgres().user());
        dataSource.setPassword(Infrastructure.postgres().password());
        lockConnections = AdvisoryLockLeases.unpooled(dataSource.getJdbcUrl(), dataSource.getUsername(),
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
    void onlyOneOfTwoContendersTakesTheLease() throws SQLException {
        try (var first = new AdvisoryLockLeases(lockConnections, LeaseRole.RESEQUENCER, "first");
             var second = new AdvisoryLockLeases(lockConnections, LeaseRole.RESEQUENCER, "second")) {

            Optional<Lease> won = first.tryAcquire("orders");
            Optional<Lease> lost = second.tryAcquire("orders");

            assertThat(won).isPresent();
            assertThat(lost).isEmpty();
            assertThat(second.held()).isEmpty();
        }
    }

    @Test
    void rolesAreLeasedIndependently() throws SQLException {
        try (var resequencer = new AdvisoryLockLeases(lockConnections, LeaseRole.RESEQUENCER, "r");
             var egress = new AdvisoryLockLeases(lockConnections, LeaseRole.EGRESS, "e")) {

            assertThat(resequencer.tryAcquire("audit")).isPresent();
            assertThat(egress.tryAcquire("audit")).isPresent();
        }
    }

    @Test
    void theEpochGrowsAtEveryChangeOfHolder() throws SQLException {
        try (var first = new AdvisoryLockLeases(lockConnections, LeaseRole.EGRESS, "first");
             var second = new AdvisoryLockLeases(lockConnections, LeaseRole.EGRESS, "second")) {
            Lease before = first.tryAcquire("billing").orElseThrow();

            first.release(before);
            Lease after = second.tryAcquire("billing").orElseThrow();

            assertThat(after.epoch()).isGreaterThan(before.epoch());
        }
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

    @Test
    void noLeaseForAnUnknownDestination() throws SQLException {
        try (var leases = new AdvisoryLockLeases(lockConnections, LeaseRole.EGRESS, "x")) {
            assertThat(leases.tryAcquire("does-not-exist")).isEmpty();
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
