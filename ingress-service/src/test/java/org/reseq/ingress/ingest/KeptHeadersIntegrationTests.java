package org.reseq.ingress.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reseq.infra.TestInfrastructure;
import org.reseq.ingress.support.HttpTester;
import org.reseq.ingress.support.HttpTester.Response;
import org.reseq.model.headers.StoredHeaders;
import org.reseq.model.tracing.Traceparent;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * A channel's {@code keepHeaders}: configured, checked, and the kept headers stored with each
 * message; and the trace context every message stores beside them, with no exporter configured.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class KeptHeadersIntegrationTests {

    private static final TestInfrastructure INFRA = TestInfrastructure.fresh("kept-headers");

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
    void namesThatCannotTravelAndDuplicatesAreRefusedNamingTheirIndex() {
        http.channel("kh-refused", "kh-refused-out");

        Response refused = http.putJson("/admin/v1/channels/kh-refused", """
                {"destinations": ["kh-refused-out"],
                 "keepHeaders": ["X-Tenant", "Host", "x-tenant", "Reseq-Epoch", "bad name", "Authorization",
                                 "Idempotency-Key", "connection", "X-Correlation-Id"]}""");

        refused.assertProblem(400, "invalid-request");
        assertThat(refused.errorFields()).containsExactly("keepHeaders[1]", "keepHeaders[2]", "keepHeaders[3]",
                "keepHeaders[4]", "keepHeaders[5]", "keepHeaders[6]", "keepHeaders[7]");
        assertThat(http.get("/admin/v1/channels/kh-refused").json().path("keepHeaders")).isEmpty();
    }

    @Test
    void atMostSixteenNamesAreKept() {
        http.channel("kh-many", "kh-many-out");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 17; i++) {
            names.add("\"X-H" + i + "\"");
        }

        Response refused = http.putJson("/admin/v1/channels/kh-many",
                "{\"destinations\": [\"kh-many-out\"], \"keepHeaders\": " + names + "}");

        refused.assertProblem(400, "invalid-request");
        assertThat(refused.errorFields()).containsExactly("keepHeaders");
    }

    @Test
    void theKeptNamesAreStoredAndReadBackInOrderAndSpelling() {
        http.channel("kh-read", "kh-read-out");

        Response put = http.putJson("/admin/v1/channels/kh-read", """
                {"destinations": ["kh-read-out"], "keepHeaders": ["X-Correlation-Id", "x-TENANT"]}""");

        assertThat(put.status()).as(put.text()).isEqualTo(200);
        assertThat(put.json().path("keepHeaders").toString()).isEqualTo("[\"X-Correlation-Id\",\"x-TENANT\"]");
        assertThat(http.get("/admin/v1/channels/kh-read").json().path("keepHeaders").toString())
                .isEqualTo("[\"X-Correlation-Id\",\"x-TENANT\"]");
        JsonNode listed = null;
        for (JsonNode channel : http.get("/admin/v1/channels").json()) {
            if (channel.path("name").asString().equals("kh-read")) {
                listed = channel;
            }
        }
        assertThat(listed).isNotNull();
        assertThat(listed.path("keepHeaders")).hasSize(2);

        // Replaced without the field: it keeps none.
        http.putJson("/admin/v1/channels/kh-read", "{\"destinations\": [\"kh-read-out\"]}");
        assertThat(http.get("/admin/v1/channels/kh-read").json().path("keepHeaders").toString()).isEqualTo("[]");
    }

    @Test
    void aMessageKeepsTheKeptHeadersPresentInTheChannelsOrderAndIgnoresTheOthers() {
        keeping("kh-ingest", "X-Correlation-Id", "X-Tenant", "X-Absent");
        HttpRequest request = http.request("/api/v1/channels/kh-ingest/messages")
                .header("Content-Type", "text/plain")
                .header("x-tenant", "acme")
                .header("X-Tenant", "eu")
                .header("X-Other", "not kept")
                .header("X-CORRELATION-ID", "c-1")
                .POST(HttpRequest.BodyPublishers.ofString("hello"))
                .build();

        Response response = http.send(request);

        assertThat(response.status()).as(response.text()).isEqualTo(202);
        assertThat(storedHeaders("kh-ingest")).containsExactly(
                List.of(Map.entry("X-Correlation-Id", "c-1"), Map.entry("X-Tenant", "acme, eu")));
    }

    @Test
    void aKeptValueThatCannotTravelIsRefusedNamingItAndNothingIsStored() {
        keeping("kh-long", "X-Tenant");

        Response tooLong = http.postMessage("kh-long", "text/plain", "m".getBytes(StandardCharsets.UTF_8),
                Map.of("X-Tenant", "t".repeat(1025), "X-Other", "o".repeat(5000)));

        tooLong.assertProblem(400, "invalid-request");
        assertThat(tooLong.errorFields()).containsExactly("headers.X-Tenant");
        assertThat(storedHeaders("kh-long")).isEmpty();

        // A header the channel does not keep is never checked, whatever its size.
        Response unkept = http.postMessage("kh-long", "text/plain", "m".getBytes(StandardCharsets.UTF_8),
                Map.of("X-Other", "o".repeat(5000)));
        assertThat(unkept.status()).as(unkept.text()).isEqualTo(202);
        assertThat(storedHeaders("kh-long")).containsExactly(List.of());
    }

    @Test
    void theHeadersOfABatchGoWithEveryItemAndOneThatCannotTravelRefusesItWhole() {
        keeping("kh-batch", "X-Tenant");

        Response refused = http.send("POST", "/api/v1/channels/kh-batch/messages/batch",
                "[{\"body\": 1}, {\"body\": 2}]".getBytes(StandardCharsets.UTF_8),
                Map.of("Content-Type", "application/json", "X-Tenant", "t".repeat(1025)));
        refused.assertProblem(400, "invalid-request");
        assertThat(refused.errorFields()).containsExactly("headers.X-Tenant");
        assertThat(storedHeaders("kh-batch")).isEmpty();

        Response accepted = http.send("POST", "/api/v1/channels/kh-batch/messages/batch",
                "[{\"body\": 1}, {\"body\": 2}]".getBytes(StandardCharsets.UTF_8),
                Map.of("Content-Type", "application/json", "X-Tenant", "acme"));
        assertThat(accepted.status()).as(accepted.text()).isEqualTo(202);
        assertThat(storedHeaders("kh-batch")).containsExactly(List.of(Map.entry("X-Tenant", "acme")),
                List.of(Map.entry("X-Tenant", "acme")));
    }

    @Test
    void aRepeatIsAnsweredWhateverItsHeadersAndTheMessageKeepsItsFirstOnes() {
        keeping("kh-repeat", "X-Tenant");
        byte[] body = "once".getBytes(StandardCharsets.UTF_8);

        Response first = http.postMessage("kh-repeat", "text/plain", body,
                Map.of("Idempotency-Key", "k-1", "X-Tenant", "first"));
        Response repeat = http.postMessage("kh-repeat", "text/plain", body,
                Map.of("Idempotency-Key", "k-1", "X-Tenant", "second"));

        assertThat(first.status()).as(first.text()).isEqualTo(202);
        assertThat(repeat.status()).as(repeat.text()).isEqualTo(202);
        assertThat(repeat.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(storedHeaders("kh-repeat")).containsExactly(List.of(Map.entry("X-Tenant", "first")));
    }

    @Test
    void eachMessageStoresTheTraceContextOfItsIngestContinuingTheSendersTrace() {
        keeping("kh-traced");
        String sender = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

        Response traced = http.postMessage("kh-traced", "text/plain", "a".getBytes(StandardCharsets.UTF_8),
                Map.of("traceparent", sender));
        Response untraced = http.postMessage("kh-traced", "text/plain", "b".getBytes(StandardCharsets.UTF_8),
                Map.of());
        Response batch = http.send("POST", "/api/v1/channels/kh-traced/messages/batch",
                "[{\"body\": 1}, {\"body\": 2}]".getBytes(StandardCharsets.UTF_8),
                Map.of("Content-Type", "application/json", "traceparent", sender));

        assertThat(List.of(traced.status(), untraced.status(), batch.status())).containsOnly(202);
        List<Traceparent> stored = jdbc.sql("select traceparent from message where channel = 'kh-traced' order by id")
                .query(String.class).list().stream().map(Traceparent::parse).toList();
        Traceparent parent = Traceparent.parse(sender);
        assertThat(stored).hasSize(4).doesNotContainNull();
        for (int i : new int[] {0, 2, 3}) {
            assertThat(stored.get(i).traceId()).isEqualTo(parent.traceId());
            assertThat(stored.get(i).spanId()).as("the ingest span's own").isNotEqualTo(parent.spanId());
            assertThat(stored.get(i).sampled()).as("sampled by the sender, sampled here").isTrue();
        }
        assertThat(stored.get(1).traceId()).as("a trace of its own").isNotEqualTo(parent.traceId());
        assertThat(stored.get(3)).as("a batch is one request, one span").isEqualTo(stored.get(2));
    }

    @Test
    void aChannelCannotKeepTraceparent() {
        http.channel("kh-no-trace", "kh-no-trace-out");

        Response refused = http.putJson("/admin/v1/channels/kh-no-trace",
                "{\"destinations\": [\"kh-no-trace-out\"], \"keepHeaders\": [\"Traceparent\"]}");

        assertThat(refused.status()).as(refused.text()).isEqualTo(400);
        assertThat(refused.text()).contains("keepHeaders[0]");
    }

    /** Creates a channel to one destination that keeps these headers. */
    private void keeping(String channel, String... names) {
        http.channel(channel, channel + "-out");
        StringBuilder keep = new StringBuilder();
        for (String name : names) {
            keep.append(keep.isEmpty() ? "" : ",").append('"').append(name).append('"');
        }
        Response put = http.putJson("/admin/v1/channels/" + channel,
                "{\"destinations\": [\"" + channel + "-out\"], \"keepHeaders\": [" + keep + "]}");
        assertThat(put.status()).as(put.text()).isEqualTo(200);
    }

    /** The stored headers of the channel's messages, in arrival order, each as its entries in order. */
    private List<List<Map.Entry<String, String>>> storedHeaders(String channel) {
        return jdbc.sql("select headers::text from message where channel = :channel order by id")
                .param("channel", channel).query(String.class).list().stream()
                .map(json -> List.copyOf(StoredHeaders.read(json).entrySet())).toList();
    }
}
