package org.reseq.bench.peer;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.reseq.bench.report.RunResult;
import org.reseq.bench.stack.JdbcUrls;
import org.reseq.bench.workload.Workload;

/** Spring Integration's JDBC message store on the real PostgreSQL (127.0.0.1:5432 unless overridden). */
class JdbcPeerIntegrationTests {

    private static final String URL =
            System.getProperty("reseq.bench.jdbc-url", "jdbc:postgresql://127.0.0.1:5432/postgres");

    @Test
    void deliversEveryMessageOnceAndInOrderThroughPostgres() throws Exception {
        PeerSettings settings = new PeerSettings(URL, "postgres", "", Duration.ofSeconds(15));
        Peer peer = Peers.select("si-jdbc", settings).getFirst();

        RunResult result = peer.run("small", "2 destinations", new Workload(200, 0, 0, 10, 3), 2);

        assertThat(result.clean()).as(result.toString()).isTrue();
        assertThat(result.system()).isEqualTo("si-jdbc");
        assertThat(result.messages()).isEqualTo(200);
        assertThat(result.repeats()).isZero();
        assertThat(result.cpuSecondsPer1000()).isPositive();
        assertThat(result.notes()).contains("JdbcMessageStore");
        assertThat(schemasLeftByThisProcess()).as("the run's schema is dropped after it").isZero();
    }

    private static int schemasLeftByThisProcess() throws Exception {
        String url = JdbcUrls.withDatabase(URL, IntegrationDatabase.NAME);
        try (Connection connection = DriverManager.getConnection(url, "postgres", "");
                PreparedStatement query = connection.prepareStatement(
                        "SELECT count(*) FROM pg_namespace WHERE nspname LIKE ?")) {
            query.setString(1, "run\\_" + ProcessHandle.current().pid() + "\\_%");
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getInt(1);
            }
        }
    }
}
