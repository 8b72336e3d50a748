package org.reseq.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.reseq.bench.peer.Peers;
import org.reseq.bench.report.Report;
import org.reseq.bench.report.RunResult;
import org.reseq.deploy.ServiceKind;
import org.reseq.deploy.Suite;
import org.reseq.deploy.SuiteSettings;
import org.reseq.infra.Infrastructure;
import org.reseq.infra.PostgresServer;

/**
 * The benchmark end to end, small: the suite runs as separate processes, the throughput scenario
 * sends 500 messages to 2 destinations through the public API, and every peer runs the same
 * workload in this JVM. Every run must be clean and its JSON line must read back.
 */
class BenchSmokeIntegrationTests {

    private static final int MESSAGES = 500;

    private static Suite suite;
    private static PostgresServer postgres;
    private static String ingress;

    @BeforeAll
    static void startTheSuite() throws IOException {
        postgres = Infrastructure.postgres();
        Map<ServiceKind, Integer> ports = new EnumMap<>(ServiceKind.class);
        for (ServiceKind kind : ServiceKind.values()) {
            ports.put(kind, freePort());
        }
        Path home = Path.of(System.getProperty("reseq.home", "..")).toAbsolutePath().normalize();
        SuiteSettings settings = new SuiteSettings(home, postgres.createFreshDatabase("bench"), postgres.user(),
                postgres.password(), Infrastructure.redis().url(), "bench-" + UUID.randomUUID() + ":", 1, ports,
                home.resolve("bench/target/smoke-logs"), Map.of(), SuiteSettings::defaultJavaOptions);
        suite = Suite.start(settings, Duration.ofMinutes(2));
        ingress = suite.instances(ServiceKind.INGRESS).getFirst().baseUrl();
    }

    @AfterAll
    static void stopTheSuite() {
        if (suite != null) {
            suite.close();
        }
    }

    @Test
    void throughputRunsCleanForReseqAndEveryPeerAndPrintsReadableLines() {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int exitCode = Bench.execute(new PrintStream(output, true, StandardCharsets.UTF_8), "throughput",
                "--ingress", ingress, "--redis", Infrastructure.redis().url(),
                "--messages", Integer.toString(MESSAGES), "--destinations", "2", "--senders", "16",
                "--peers", "all", "--peer-jdbc-url", postgres.jdbcUrl("postgres"),
                "--peer-jdbc-user", postgres.user(), "--peer-jdbc-password", postgres.password(),
                "--peer-max-seconds", "30", "--stall-seconds", "30", "--warmup-seconds", "1");
        String printed = output.toString(StandardCharsets.UTF_8);
        System.out.println(printed);

        assertThat(exitCode).as(printed).isZero();
        List<RunResult> runs = printed.lines().filter(line -> line.startsWith("{")).map(Report::parse).toList();
        assertThat(runs).extracting(RunResult::system).containsExactlyElementsOf(
                Stream.concat(Stream.of("reseq"), Peers.names().stream()).toList());
        for (RunResult run : runs) {
            assertThat(run.clean()).as(run.system() + " clean: " + run).isTrue();
            assertThat(run.messages()).as(run.system() + " messages").isEqualTo(MESSAGES);
            assertThat(run.throughput()).as(run.system() + " throughput").isPositive();
            assertThat(run.scenario()).isEqualTo("throughput");
            assertThat(run.variant()).isEqualTo("2 destinations");
        }
        RunResult reseq = runs.getFirst();
        assertThat(reseq.latency().count()).isEqualTo(MESSAGES);
        assertThat(reseq.overhead().count()).isEqualTo(MESSAGES);
        assertThat(printed).contains("| scenario | variant | system |");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
