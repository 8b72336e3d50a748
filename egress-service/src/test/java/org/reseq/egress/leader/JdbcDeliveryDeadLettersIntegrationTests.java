package org.reseq.egress.leader;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.reseq.egress.fake.FreshDatabase;
import org.reseq.model.failure.DeadLetters;
import org.springframework.jdbc.core.JdbcTemplate;

/** The contract against PostgreSQL, with the destination's rows as the admin API and a lease holder write them. */
class JdbcDeliveryDeadLettersIntegrationTests extends DeliveryDeadLettersContract {

    private static HikariDataSource dataSource;
    private static JdbcTemplate jdbc;

    private final JdbcDeliveryDeadLetters deadLetters = new JdbcDeliveryDeadLetters(new DeadLetters(dataSource));

    @BeforeAll
    static void migrate() {
        dataSource = FreshDatabase.migrated("dead_letters");
        jdbc = new JdbcTemplate(dataSource);
    }

    @AfterAll
    static void close() {
        dataSource.close();
    }

    @Override
    DeliveryDeadLetters deadLetters() {
        return deadLetters;
    }

    @Override
    void taken(long epoch) {
        jdbc.update("""
                insert into destination (name, config) values (?, '{"type":"HTTP","url":"http://127.0.0.1:9/in"}')
                on conflict (name) do nothing""", destination);
        jdbc.update("""
                insert into destination_cursor (destination, role, position, epoch) values (?, 'EGRESS', 0, ?)
                on conflict (destination, role) do update set epoch = excluded.epoch""", destination, epoch);
    }
}
