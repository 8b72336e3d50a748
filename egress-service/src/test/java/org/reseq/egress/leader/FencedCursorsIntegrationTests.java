package org.reseq.egress.leader;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.reseq.egress.fake.FreshDatabase;
import org.reseq.model.lease.Cursors;
import org.reseq.model.lease.FencedCursors;
import org.reseq.model.lease.LeaseRole;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The contract against PostgreSQL's {@code destination_cursor}, with rows as the admin API and lease
 * takers write them.
 */
class FencedCursorsIntegrationTests extends CursorsContract {

    private static HikariDataSource dataSource;
    private static JdbcTemplate jdbc;

    private final FencedCursors cursors = new FencedCursors(dataSource);

    @BeforeAll
    static void migrate() {
        dataSource = FreshDatabase.migrated("cursors");
        jdbc = new JdbcTemplate(dataSource);
    }

    @AfterAll
    static void close() {
        dataSource.close();
    }

    @Override
    Cursors cursors() {
        return cursors;
    }

    @Override
    void taken(LeaseRole role, long epoch) {
        jdbc.update("""
                insert into destination (name, config) values (?, '{"type":"HTTP","url":"http://127.0.0.1:9/in"}')
                on conflict (name) do nothing""", destination);
        jdbc.update("""
                insert into destination_cursor (destination, role, position, epoch) values (?, ?, 0, ?)
                on conflict (destination, role) do update set epoch = excluded.epoch""", destination, role.name(),
                epoch);
    }

    @Override
    void moved(LeaseRole role, long position) {
        jdbc.update("update destination_cursor set position = ? where destination = ? and role = ?", position,
                destination, role.name());
    }
}
