package org.reseq.bench.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.reseq.bench.report.RunResult;
import org.reseq.bench.stack.JdbcUrls;
import org.reseq.bench.workload.Workload;

class PeersTests {

    private static final PeerSettings SETTINGS =
            new PeerSettings("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "", Duration.ofSeconds(20));
    private static final Workload SMALL = new Workload(300, 0, 0, 20, 7);

    @ParameterizedTest
    @ValueSource(strings = {Peers.CAMEL_STREAM, Peers.SI_SIMPLE, Peers.SEQUENTIAL})
    void deliversEveryMessageOnceAndInOrder(String name) throws Exception {
        Peer peer = Peers.select(name, SETTINGS).getFirst();

        RunResult result = peer.run("small", "2 destinations", SMALL, 2);

        assertThat(result.clean()).as(result.toString()).isTrue();
        assertThat(result.system()).isEqualTo(name);
        assertThat(result.messages()).isEqualTo(300);
        assertThat(result.repeats()).isZero();
        assertThat(result.latency().count()).isEqualTo(300);
        assertThat(result.overhead().count()).isEqualTo(300);
        assertThat(result.cpuSecondsPer1000()).isNotNull().isNotNegative();
        assertThat(result.throughput()).isPositive();
    }

    @Test
    void selectsAllNoneOrNamedPeersInOrder() {
        assertThat(Peers.select("all", SETTINGS)).extracting(Peer::name)
                .containsExactly("camel-stream", "si-simple", "si-jdbc", "sequential");
        assertThat(Peers.select("none", SETTINGS)).isEmpty();
        assertThat(Peers.select(" sequential , camel-stream ", SETTINGS)).extracting(Peer::name)
                .containsExactly("sequential", "camel-stream");
    }

    @Test
    void refusesAnUnknownPeerNamingTheValidOnes() {
        assertThatIllegalArgumentException().isThrownBy(() -> Peers.select("camel-stream,kafka", SETTINGS))
                .withMessageContaining("kafka")
                .withMessageContaining("camel-stream, si-simple, si-jdbc, sequential");
    }

    @Test
    void refusesTheJdbcPeerWithoutADatabase() {
        PeerSettings noDatabase = new PeerSettings(null, null, null, Duration.ofSeconds(1));

        assertThatIllegalArgumentException().isThrownBy(() -> Peers.select("si-jdbc", noDatabase));
        assertThat(Peers.select("si-simple", noDatabase)).hasSize(1);
    }

    @Test
    void pointsAJdbcUrlAtAnotherDatabaseKeepingServerAndParameters() {
        assertThat(JdbcUrls.withDatabase("jdbc:postgresql://127.0.0.1:5432/reseq?sslmode=disable", "other"))
                .isEqualTo("jdbc:postgresql://127.0.0.1:5432/other?sslmode=disable");
        assertThat(JdbcUrls.withDatabase("jdbc:postgresql://db.internal/postgres", "other"))
                .isEqualTo("jdbc:postgresql://db.internal/other");
    }

    @Test
    void listsEveryPeerName() {
        assertThat(Peers.names()).isEqualTo(List.of("camel-stream", "si-simple", "si-jdbc", "sequential"));
    }
}
