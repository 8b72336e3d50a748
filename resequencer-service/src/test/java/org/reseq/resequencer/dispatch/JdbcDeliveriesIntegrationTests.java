package org.reseq.resequencer.dispatch;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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

    @Override
    void delivered(String destination, long position) {
        jdbc.update("""
                insert into destination_cursor (destination, role, position) values (?, 'EGRESS', ?)
                on conflict (destination, role) do update set position = excluded.position""", destination, position);
    }
}
