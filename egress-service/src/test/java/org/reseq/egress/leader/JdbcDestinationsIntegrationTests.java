package org.reseq.egress.leader;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.reseq.egress.fake.FreshDatabase;
import org.reseq.model.destination.DestinationRepository;
import org.springframework.jdbc.core.JdbcTemplate;

/** The contract against PostgreSQL, read as the service reads it: through the shared repository. */
class JdbcDestinationsIntegrationTests extends DestinationsContract {

    private static HikariDataSource dataSource;
    private static JdbcTemplate jdbc;

    private final Destinations destinations = new DestinationRepository(dataSource)::find;

    @BeforeAll
    static void migrate() {
        dataSource = FreshDatabase.migrated("destinations");
        jdbc = new JdbcTemplate(dataSource);
    }

    @AfterAll
    static void close() {
        dataSource.close();
    }

    @Override
    Destinations destinations() {
        return destinations;
    }

    @Override
    void create(String name, String configJson) {
        jdbc.update("insert into destination (name, config) values (?, ?::jsonb)", name, configJson);
    }

    @Override
    void paused(String name, boolean paused) {
        jdbc.update("update destination set paused = ? where name = ?", paused, name);
    }

    @Override
    void delete(String name) {
        jdbc.update("delete from destination where name = ?", name);
    }
}
