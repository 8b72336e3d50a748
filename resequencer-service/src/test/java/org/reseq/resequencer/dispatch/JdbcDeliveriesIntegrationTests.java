package org.reseq.resequencer.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.reseq.infra.Infrastructure;
import org.springframework.jdbc.core.JdbcTemplate;

/** The contract against PostgreSQL, with rows as ingress and egress write them. */
class JdbcDeliveriesIntegrationTests extends DeliveriesContract {

    private static HikariDataSource dataSource;
    private static JdbcTemplate jdbc;

    private final JdbcDeliveries deliveries = new JdbcDeliveries(dataSource);

    @BeforeAll
    static void migrate() {
        dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(Infrastructure.postgres().createFreshDatabase("deliveries"));
        dataSource.setUsername(Infrastructure.postgres().user());
        dataSource.setPassword(Infrastructure.postgres().password());
        Flyway.configure().dataSource(dataSource).load().migrate();
        jdbc = new JdbcTemplate(dataSource);
    }

    @AfterAll
    static void close() {
        dataSource.close();
    }

    @Override
    Deliveries deliveries() {
        return deliveries;
    }

    @Override
    void create(String destination, String configJson) {
        jdbc.update("insert into destination (name, config) values (?, ?::jsonb)", destination, configJson);
        jdbc.update("insert into destination_sequence (destination, last_sequence) values (?, 0)", destination);
    }

    @Override
    void ingest(String destination, int count) {
        long last = jdbc.queryForObject("select last_sequence from destination_sequence where destination = ?",
                Long.class, destination);
        for (long sequence = last + 1; sequence <= last + count; sequence++) {
            UUID id = UUID.randomUUID();
            jdbc.update("""
                    insert into message (id, channel, content_type, payload, arrived_at)
                    values (?, 'contract', 'text/plain', ?, ?)""", id,
                    ("m-" + sequence).getBytes(StandardCharsets.UTF_8), Timestamp.from(Instant.now()));
            jdbc.update("insert into delivery (destination, sequence, message_id) values (?, ?, ?)", destination,
                    sequence, id);
        }
        jdbc.update("update destination_sequence set last_sequence = ? where destination = ?", last + count,
                destination);
    }

    @Test
    void theTravellingHeadersAreReadInOrderAndAnOldRowReadsAsWithoutThem() throws Exception {
        create("headed", "{}");
        UUID kept = UUID.randomUUID();
        UUID old = UUID.randomUUID();
        String insert = "insert into message (id, channel, content_type, payload, arrived_at, headers)"
                + " values (?, 'contract', 'text/plain', ?, now(), ?::jsonb)";
        jdbc.update(insert, kept, new byte[] {1}, "[[\"X-Tenant\", \"acme\"], [\"X-Correlation-Id\", \"c-1\"]]");
        jdbc.update(insert, old, new byte[] {2}, "{}");
        jdbc.update("insert into delivery (destination, sequence, message_id) values ('headed', 1, ?), ('headed', 2, ?)",
                kept, old);
        jdbc.update("update destination_sequence set last_sequence = 2 where destination = 'headed'");

        List<PendingDelivery> read = deliveries.between("headed", 0, 2, 1024);

        assertThat(read.get(0).headers()).containsExactly(Map.entry("X-Tenant", "acme"),
                Map.entry("X-Correlation-Id", "c-1"));
        assertThat(read.get(1).headers()).isEmpty();
    }

    @Override
    void delivered(String destination, long position) {
        jdbc.update("""
                insert into destination_cursor (destination, role, position) values (?, 'EGRESS', ?)
                on conflict (destination, role) do update set position = excluded.position""", destination, position);
    }
}
