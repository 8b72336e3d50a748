package org.reseq.ingress.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reseq.infra.TestInfrastructure;
import org.reseq.ingress.support.HttpTester;
import org.reseq.model.lease.LeaseRole;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * A destination's status names its leaders as PostgreSQL knows them: the session holding the
 * role's advisory lock, matched to the instance that heartbeats over it. Here a test connection
 * plays an egress instance, the way {@code AdvisoryLockLeases} holds a lease.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.datasource.hikari.maximum-pool-size=4")
@DirtiesContext
class DestinationLeadersIntegrationTests {

    private static final TestInfrastructure INFRA = TestInfrastructure.fresh("leaders");

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        INFRA.register(registry);
    }

    @LocalServerPort
    int port;

    @Autowired
    DataSource dataSource;

    private HttpTester http;

    @BeforeEach
    void client() {
        http = new HttpTester(port);
    }

    @Test
    void theStatusNamesTheInstanceHoldingTheLockWithItsEpochUntilItsSessionEnds() throws SQLException {
        http.putJson("/admin/v1/destinations/led", "{ \"type\": \"HTTP\", \"url\": \"http://127.0.0.1:9000/x\" }");
        assertThat(leaders()).isEmpty();

        try (Connection holder = dataSource.getConnection()) {
            holdEgressLease(holder, "led", "egress-7", 4);

            JsonNode leaders = leaders();
            assertThat(leaders).hasSize(1);
            assertThat(leaders.get(0).path("role").asString()).isEqualTo("EGRESS");
            assertThat(leaders.get(0).path("instance").asString()).isEqualTo("egress-7");
            assertThat(leaders.get(0).path("epoch").asLong()).isEqualTo(4);
            try (Statement unlock = holder.createStatement()) {
                unlock.execute("select pg_advisory_unlock_all()");
            }
        }

        assertThat(leaders()).as("no lock, no leader, whatever the heartbeat says").isEmpty();
    }

    private JsonNode leaders() {
        return http.get("/admin/v1/destinations/led").json().path("status").path("leaders");
    }

    /** What an egress instance's lock connection does when it takes a lease, in short. */
    private static void holdEgressLease(Connection connection, String destination, String instance, long epoch)
            throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement(
                "select pg_advisory_lock(?, (select id from destination where name = ?))");
             PreparedStatement cursor = connection.prepareStatement("""
                     insert into destination_cursor (destination, role, epoch) values (?, 'EGRESS', ?)
                     on conflict (destination, role) do update set epoch = excluded.epoch""");
             PreparedStatement heartbeat = connection.prepareStatement("""
                     insert into service_instance (role, instance_id, backend_pid) values ('EGRESS', ?, pg_backend_pid())
                     on conflict (role, instance_id) do update set backend_pid = excluded.backend_pid""")) {
            lock.setInt(1, LeaseRole.EGRESS.lockClass());
            lock.setString(2, destination);
            lock.execute();
            cursor.setString(1, destination);
            cursor.setLong(2, epoch);
            cursor.executeUpdate();
            heartbeat.setString(1, instance);
            heartbeat.executeUpdate();
        }
    }
}
