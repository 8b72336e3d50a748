package org.reseq.ingress.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reseq.ingress.support.HttpTester;
import org.reseq.ingress.support.HttpTester.Response;
import org.reseq.infra.TestInfrastructure;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** Back-pressure against real PostgreSQL; backlogs are read on every message, so counts are exact. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "reseq.ingest.backpressure.refresh=0ms")
class BackpressureIntegrationTests {

    private static final TestInfrastructure INFRA = TestInfrastructure.fresh("backpressure");

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        INFRA.register(registry);
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    private HttpTester http;

    @BeforeEach
    void client() {
        http = new HttpTester(port);
    }

    @Test
    void answers429WithRetryAfterOnceTheBacklogIsAboveMaxBacklogAndStoresNothing() {
        limitedDestination("capped", 5);
        route("capped-in", "capped");
        Response keyed = post("capped-in", Map.of("Idempotency-Key", "first"));
        assertThat(keyed.status()).isEqualTo(202);
        for (int i = 2; i <= 6; i++) {
            // Backlog 1..5 is not above 5, so messages 2 to 6 still go in.
            assertThat(post("capped-in", Map.of()).status()).as("message %d", i).isEqualTo(202);
        }

        Response refused = post("capped-in", Map.of());

        JsonNode problem = refused.assertProblem(429, "backlog-exceeded");
        assertThat(refused.header("Retry-After")).isEqualTo("1");
        assertThat(problem.path("destinations").toString())
                .isEqualTo("[{\"destination\":\"capped\",\"backlog\":6,\"maxBacklog\":5}]");
        assertThat(post("capped-in", Map.of("Idempotency-Key", "new-key")).status()).isEqualTo(429);
        assertThat(messages("capped-in")).isEqualTo(6);
        assertThat(lastSequence("capped")).isEqualTo(6);

        // A repeat creates nothing, so it is answered even now.
        Response repeat = post("capped-in", Map.of("Idempotency-Key", "first"));
        assertThat(repeat.status()).isEqualTo(202);
        assertThat(repeat.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(repeat.text()).isEqualTo(keyed.text());
        // Another payload under that key is no repeat: refused for the key, not for the backlog.
        Response reused = http.postMessage("capped-in", "text/plain", "other".getBytes(StandardCharsets.UTF_8),
                Map.of("Idempotency-Key", "first"));
        reused.assertProblem(422, "idempotency-key-reused");
        assertThat(reused.errorFields()).containsExactly("Idempotency-Key");
        assertThat(messages("capped-in")).isEqualTo(6);
    }

    @Test
    void ingestResumesWhenEgressDeliversAndStopsAgainAboveTheLimit() {
        limitedDestination("draining", 5);
        route("draining-in", "draining");
        for (int i = 1; i <= 6; i++) {
            assertThat(post("draining-in", Map.of()).status()).isEqualTo(202);
        }
        assertThat(post("draining-in", Map.of()).status()).isEqualTo(429);

        deliveredUpTo("draining", 2);

        // Backlog 4: two more fit before it is above 5 again.
        assertThat(post("draining-in", Map.of()).status()).isEqualTo(202);
        assertThat(post("draining-in", Map.of()).status()).isEqualTo(202);
        assertThat(post("draining-in", Map.of()).status()).isEqualTo(429);
        assertThat(lastSequence("draining")).isEqualTo(8);

        deliveredUpTo("draining", 8);
        assertThat(post("draining-in", Map.of("Idempotency-Key", "new-key")).status()).isEqualTo(202);
    }

    @Test
    void aDestinationWithoutMaxBacklogNeverRefuses() {
        http.channel("free-in", "free");

        for (int i = 0; i < 25; i++) {
            assertThat(post("free-in", Map.of()).status()).isEqualTo(202);
        }

        assertThat(lastSequence("free")).isEqualTo(25);
    }

    @Test
    void aLimitedDestinationHoldsBackTheChannelsThatRouteToItOnly() {
        http.channel("shared-in", "shared-free");
        limitedDestination("shared-capped", 1);
        route("both-in", "shared-free", "shared-capped");
        assertThat(post("both-in", Map.of()).status()).isEqualTo(202);
        assertThat(post("both-in", Map.of()).status()).isEqualTo(202);

        post("both-in", Map.of()).assertProblem(429, "backlog-exceeded");

        assertThat(post("shared-in", Map.of()).status()).isEqualTo(202);
        assertThat(lastSequence("shared-free")).isEqualTo(3);
        assertThat(lastSequence("shared-capped")).isEqualTo(2);
    }

    @Test
    void removingTheLimitLiftsTheBackPressure() {
        limitedDestination("relaxed", 1);
        route("relaxed-in", "relaxed");
        post("relaxed-in", Map.of());
        post("relaxed-in", Map.of());
        assertThat(post("relaxed-in", Map.of()).status()).isEqualTo(429);

        Response replaced = http.putJson("/admin/v1/destinations/relaxed",
                "{\"type\":\"HTTP\",\"url\":\"http://127.0.0.1:9/relaxed\"}");
        assertThat(replaced.status()).isEqualTo(200);

        assertThat(post("relaxed-in", Map.of()).status()).isEqualTo(202);
    }

    private void limitedDestination(String name, long maxBacklog) {
        Response created = http.putJson("/admin/v1/destinations/" + name,
                "{\"type\":\"HTTP\",\"url\":\"http://127.0.0.1:9/" + name + "\",\"maxBacklog\":" + maxBacklog + "}");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
    }

    private void route(String channel, String... destinations) {
        String names = String.join("\",\"", destinations);
        Response routed = http.putJson("/admin/v1/channels/" + channel, "{\"destinations\":[\"" + names + "\"]}");
        assertThat(routed.status()).as(routed.text()).isEqualTo(201);
    }

    private Response post(String channel, Map<String, String> headers) {
        return http.postMessage(channel, "text/plain", "m".getBytes(StandardCharsets.UTF_8), headers);
    }

    /** What egress does when it has delivered: moves its cursor. */
    private void deliveredUpTo(String destination, long sequence) {
        jdbc.sql("update destination_cursor set position = :p where destination = :d and role = 'EGRESS'")
                .param("p", sequence).param("d", destination).update();
    }

    private long messages(String channel) {
        return jdbc.sql("select count(*) from message where channel = :c").param("c", channel)
                .query(Long.class).single();
    }

    private long lastSequence(String destination) {
        return jdbc.sql("select last_sequence from destination_sequence where destination = :d")
                .param("d", destination).query(Long.class).single();
    }
}
