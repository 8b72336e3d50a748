package org.reseq.ingress.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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

/**
 * Ingress while PostgreSQL refuses its database (no new connections, open ones cut), with the
 * production connection timeout: readiness goes down and comes back by itself, liveness stays up,
 * and every sender gets its 503 within two connection timeouts (the one request that refreshes the
 * channel's back-pressure cache waits for one before its commit waits for the other), however many
 * wait at once: queued senders never wait for one timeout each.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.datasource.hikari.connection-timeout=2000")
class StoreOutageIntegrationTests {

    private static final TestInfrastructure INFRA = TestInfrastructure.fresh("outage");
    private static final Duration CONNECTION_TIMEOUT = Duration.ofMillis(2000);
    /** Scheduling and HTTP on a busy machine; far less than a second connection timeout. */
    private static final Duration SLACK = Duration.ofMillis(1000);
    private static final Duration DEADLINE = Duration.ofSeconds(30);

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
    void readinessFollowsPostgresWhileLivenessStaysUp() throws Exception {
        awaitReady();
        assertHealth("readiness", 200, "UP");
        assertHealth("liveness", 200, "UP");
        try {
            INFRA.refuseConnections();

            assertHealth("readiness", 503, "DOWN");
            assertHealth("liveness", 200, "UP");
        } finally {
            INFRA.allowConnections();
        }

        awaitReady();
        assertHealth("readiness", 200, "UP");
        assertHealth("liveness", 200, "UP");
    }

    @Test
    void concurrentSendersGet503WithinTheConnectionTimeoutAndIngestRecoversByItself() throws Exception {
        http.channel("outage", "outage-sink");
        assertThat(post("before", null).status()).isEqualTo(202);
        List<Timed> answers = new ArrayList<>();
        try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
            try {
                INFRA.refuseConnections();
                List<Future<List<Timed>>> results = new ArrayList<>();
                for (int sender = 0; sender < 12; sender++) {
                    String key = sender % 3 == 0 ? "key-" + sender : null;
                    results.add(senders.submit(sendRepeatedly(3, key)));
                }
                for (Future<List<Timed>> result : results) {
                    answers.addAll(result.get());
                }
            } finally {
                INFRA.allowConnections();
            }
        }

        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(200))
                .until(() -> post("after", null).status() == 202);

        assertThat(answers).hasSize(36);
        for (Timed answer : answers) {
            answer.response().assertProblem(503, "store-unavailable");
            assertThat(answer.took()).as("time to the 503")
                    .isLessThan(CONNECTION_TIMEOUT.multipliedBy(2).plus(SLACK));
        }
        assertThat(jdbc.sql("select convert_from(payload, 'UTF8') from message where channel = 'outage'")
                .query(String.class).list()).containsOnly("before", "after");
    }

    private Callable<List<Timed>> sendRepeatedly(int times, String idempotencyKey) {
        return () -> {
            List<Timed> answers = new ArrayList<>();
            for (int i = 0; i < times; i++) {
                long start = System.nanoTime();
                Response response = post("during", idempotencyKey == null ? null : idempotencyKey + "-" + i);
                answers.add(new Timed(response, Duration.ofNanos(System.nanoTime() - start)));
            }
            return answers;
        };
    }

    private Response post(String text, String idempotencyKey) {
        return http.postMessage("outage", "text/plain", text.getBytes(StandardCharsets.UTF_8),
                idempotencyKey == null ? Map.of() : Map.of("Idempotency-Key", idempotencyKey));
    }

    private void awaitReady() {
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(200))
                .until(() -> http.get("/actuator/health/readiness").status() == 200);
    }

    private void assertHealth(String probe, int status, String state) {
        Response response = http.get("/actuator/health/" + probe);
        assertThat(response.status()).as("%s: %s", probe, response.text()).isEqualTo(status);
        assertThat(response.json().path("status").asString()).isEqualTo(state);
    }

    private record Timed(Response response, Duration took) {
    }
}
