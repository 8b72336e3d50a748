package org.reseq.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Node.js client, {@code reseq-client} in {@code clients/node}: its unit tests, and its
 * end-to-end tests against the suite with security on, which send through the client with an
 * API key and receive with its ordered receiver. Needs Node.js 20 or newer and npm on the
 * {@code PATH}; {@code npm ci} reaches the registry when {@code node_modules} is missing or stale.
 */
class NodeClientIntegrationTests {

    private static NpmProject client;
    private static String ingress;

    @BeforeAll
    static void buildTheClientThenStartTheSuite() throws IOException {
        Path home = Path.of(System.getProperty("reseq.home", "..")).toAbsolutePath().normalize();
        // Before the suite: without npm, or with a client that does not compile, there is nothing to run it for.
        client = NpmProject.in(home.resolve("clients/node"));
        client.installUnlessCurrent(Duration.ofMinutes(5));
        NpmProject.requireSuccess(client.run(Duration.ofMinutes(2), Map.of(), "run", "build"), "npm run build");

        // Its keys are node-ops-key and node-send-key (channels node-*): see SharedSecuredSuite.
        ingress = SharedSecuredSuite.ingress();
    }

    @Test
    void theClientsUnitTestsPass() {
        NpmProject.Outcome outcome = client.run(Duration.ofMinutes(3), Map.of(), "test");

        assertThat(outcome.exitCode()).as("npm test exit code; output:%n%s", outcome.output()).isZero();
    }

    @Test
    void theClientSendsAndReceivesInOrderThroughTheSecuredSuite() {
        NpmProject.Outcome outcome = client.run(Duration.ofMinutes(5), Map.of(
                "RESEQ_URL", ingress,
                "RESEQ_ADMIN_KEY", "node-ops-key",
                "RESEQ_SENDER_KEY", "node-send-key"), "run", "test:e2e");

        assertThat(outcome.exitCode()).as("npm run test:e2e exit code; output:%n%s", outcome.output()).isZero();
    }
}
