package org.reseq.model.failure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.reseq.infra.Infrastructure;
import org.reseq.model.lease.AdvisoryLockLeases;
import org.reseq.model.lease.Lease;
import org.reseq.model.lease.LeaseLostException;
import org.reseq.model.lease.LeaseRole;
import org.reseq.model.lease.LockConnections;

/** Dead letters against a real PostgreSQL: recording a failure never fails, and only the holder records. */
class DeadLettersIntegrationTests {

    private static HikariDataSource dataSource;
    private static DataSource lockConnections;
    private static DeadLetters deadLetters;

    @BeforeAll
    static void migrate() throws SQLException {
        dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(Infrastructure.postgres().createFreshDatabase("dead_letters"));
        dataSource.setUsername(Infrastructure.postgres().user());
        dataSource.setPassword(Infrastructure.postgres().password());
        lockConnections = LockConnections.unpooled(dataSource.getJdbcUrl(), dataSource.getUsername(),
                dataSource.getPassword());
        Flyway.configure().dataSource(dataSource).load().migrate();
        deadLetters = new DeadLetters(dataSource);
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("insert into destination (name, config) values ('poison', '{}'), ('fenced', '{}'), ('headed', '{}')");
        }
    }

    @AfterAll
    static void close() {
        dataSource.close();
    }

    @Test
    void anErrorWithNulBytesAndMegabytesOfTextIsRecordedCleanedAndCapped() throws SQLException {
        String error = "HTTP 400: \u0000\u0001 body " + "x".repeat(3_000_000);
        try (var leases = new AdvisoryLockLeases(lockConnections, LeaseRole.EGRESS, "holder")) {
            Lease lease = leases.tryAcquire("poison").orElseThrow();

            deadLetters.record(lease, 1, UUID.randomUUID(), DeadLetter.Stage.DELIVERY, error, 3, "text/plain",
                    new byte[] {0}, Map.of());
        }

        List<DeadLetter> stored = deadLetters.list("poison", 0, 10);
        assertThat(stored).hasSize(1);
        assertThat(stored.getFirst().error()).startsWith("HTTP 400:    body xxx").endsWith("…");
        assertThat(stored.getFirst().error().getBytes(StandardCharsets.UTF_8))
                .hasSizeLessThanOrEqualTo(ErrorTexts.MAX_BYTES);
    }

    @Test
    void theHeadersAreKeptInOrderForARedelivery() throws SQLException {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Tenant", "acme");
        headers.put("X-Correlation-Id", "c-1");
        try (var leases = new AdvisoryLockLeases(lockConnections, LeaseRole.EGRESS, "holder")) {
            Lease lease = leases.tryAcquire("headed").orElseThrow();

            deadLetters.record(lease, 4, UUID.randomUUID(), DeadLetter.Stage.DELIVERY, "422", 3, "text/plain",
                    new byte[] {1}, headers);
        }

        assertThat(deadLetters.find("headed", 4).orElseThrow().headers())
                .containsExactly(Map.entry("X-Tenant", "acme"), Map.entry("X-Correlation-Id", "c-1"));
    }

    @Test
    void aFormerHolderRecordsNothing() throws SQLException {
        try (var first = new AdvisoryLockLeases(lockConnections, LeaseRole.EGRESS, "first");
             var second = new AdvisoryLockLeases(lockConnections, LeaseRole.EGRESS, "second")) {
            Lease stale = first.tryAcquire("fenced").orElseThrow();
            first.release(stale);
            second.tryAcquire("fenced").orElseThrow();

            assertThatThrownBy(() -> deadLetters.record(stale, 1, UUID.randomUUID(), DeadLetter.Stage.DELIVERY,
                    "late", 1, "text/plain", new byte[0], Map.of())).isInstanceOf(LeaseLostException.class);
        }

        assertThat(deadLetters.list("fenced", 0, 10)).isEmpty();
    }
}
