package org.reseq.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.reseq.infra.Infrastructure;
import org.reseq.infra.RedisServerAddress;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The suite as an operator turns security on: the whole configuration is one
 * {@code SPRING_APPLICATION_JSON} with two API keys. Every service comes up ready with health
 * open, keeps its metrics behind {@code READ}, and the pipeline delivers in order what the
 * sender key may post, and only that.
 */
class SecuredSuiteIntegrationTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static Suite suite;
    private static String ingress;

    /** The suite with security on that this class shares ({@link SharedSecuredSuite}). */
    @BeforeAll
    static void useTheSecuredSuite() {
        suite = SharedSecuredSuite.get();
        ingress = SharedSecuredSuite.ingress();
    }

    @Test
    void everyServiceKeepsHealthOpenAndMetricsBehindRead() throws Exception {
        for (ServiceProcess process : suite.all()) {
            assertThat(get(process.baseUrl() + "/actuator/health/readiness", null).statusCode()).as(process.toString())
                    .isEqualTo(200);
            HttpResponse<String> anonymous = get(process.baseUrl() + "/actuator/prometheus", null);
            assertThat(anonymous.statusCode()).as(process.toString()).isEqualTo(401);
            assertThat(anonymous.headers().firstValue("WWW-Authenticate")).isPresent();
            assertThat(anonymous.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                    assertThat(type).startsWith("application/problem+json"));
            assertThat(get(process.baseUrl() + "/actuator/prometheus", "send-key").statusCode())
                    .as(process.toString()).isEqualTo(403);
            assertThat(get(process.baseUrl() + "/actuator/prometheus", "ops-key").statusCode())
                    .as(process.toString()).isEqualTo(200);
        }
    }

    @Test
    void theSenderKeyDeliversInOrderToItsChannelsOnly() throws Exception {
        try (RecordingDestination receiver = new RecordingDestination()) {
            assertThat(put("/admin/v1/destinations/sec-out", "{\"type\":\"HTTP\",\"url\":\"" + receiver.url() + "\"}",
                    "ops-key").statusCode()).isEqualTo(201);
            assertThat(put("/admin/v1/channels/sec-orders", "{\"destinations\":[\"sec-out\"]}", "ops-key").statusCode())
                    .isEqualTo(201);
            assertThat(put("/admin/v1/channels/other", "{\"destinations\":[\"sec-out\"]}", "ops-key").statusCode())
                    .isEqualTo(201);
            assertThat(put("/admin/v1/channels/sec-unauthorized", "{\"destinations\":[\"sec-out\"]}", "send-key")
                    .statusCode()).isEqualTo(403);

            int messages = 50;
            for (int i = 1; i <= messages; i++) {
                assertThat(post("sec-orders", "m" + i, "send-key").statusCode()).isEqualTo(202);
            }
            assertThat(post("other", "not allowed", "send-key").statusCode()).isEqualTo(403);
            assertThat(post("sec-orders", "no key", null).statusCode()).isEqualTo(401);

            await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> assertThat(receiver.count()).isEqualTo(messages));
            assertThat(receiver.received()).extracting(RecordingDestination.Received::sequence)
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, messages).boxed().toList());
            assertThat(receiver.received()).extracting(RecordingDestination.Received::body)
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, messages).mapToObj(i -> "m" + i).toList());
            assertTheLeadersEndpointsShow("sec-out", messages);
        }
    }

    /**
     * {@code /actuator/leaders} on the resequencer and on egress names the destination they lead,
     * with its epoch and its cursor at the end of what was sent; it needs READ, like metrics.
     */
    private static void assertTheLeadersEndpointsShow(String destination, long cursor) {
        for (ServiceKind kind : List.of(ServiceKind.RESEQUENCER, ServiceKind.EGRESS)) {
            String url = suite.instances(kind).getFirst().baseUrl() + "/actuator/leaders";
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(get(url, null).statusCode()).isEqualTo(401);
                assertThat(get(url, "send-key").statusCode()).isEqualTo(403);
                HttpResponse<String> leaders = get(url, "ops-key");
                assertThat(leaders.statusCode()).as(leaders.body()).isEqualTo(200);
                JsonNode body = JSON.readTree(leaders.body());
                assertThat(body.path("role").asString()).isEqualTo(kind == ServiceKind.EGRESS ? "EGRESS" : "RESEQUENCER");
                JsonNode led = null;
                for (JsonNode entry : body.path("leading")) {
                    if (entry.path("destination").asString().equals(destination)) {
                        led = entry;
                    }
                }
                assertThat(led).as(kind + " leads " + destination + ": " + leaders.body()).isNotNull();
                assertThat(led.path("epoch").asLong()).isPositive();
                assertThat(led.path("cursor").asLong()).isEqualTo(cursor);
                assertThat(led.path("nextSequence").asLong()).isEqualTo(cursor + 1);
                assertThat(led.path("leaseRemainingMs").asLong()).isPositive();
            });
        }
    }

    @Test
    void theGuardRefusesTheSuitesRedisAndTheMetadataAddress() throws Exception {
        RedisServerAddress redis = Infrastructure.redis();
        HttpResponse<String> toRedis = put("/admin/v1/destinations/sec-redis", """
                {"type":"TCP","host":"127.0.0.1","port":%d,"framing":"LINE"}""".formatted(redis.port()), "ops-key");
        HttpResponse<String> toMetadata = put("/admin/v1/destinations/sec-metadata", """
                {"type":"HTTP","url":"http://169.254.169.254/latest/meta-data/"}""", "ops-key");

        assertThat(toRedis.statusCode()).as(toRedis.body()).isEqualTo(400);
        assertThat(toRedis.body()).contains("\"field\":\"host\"").contains("the suite's own Redis");
        assertThat(toMetadata.statusCode()).as(toMetadata.body()).isEqualTo(400);
        assertThat(toMetadata.body()).contains("\"field\":\"url\"").contains("169.254.169.254");
    }

    private static HttpResponse<String> get(String url, String key) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(url)).GET(), key);
    }

    private static HttpResponse<String> put(String path, String json, String key)
            throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(ingress + path)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)), key);
    }

    private static HttpResponse<String> post(String channel, String body, String key)
            throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(ingress + "/api/v1/channels/" + channel + "/messages"))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(body)), key);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request, String key)
            throws IOException, InterruptedException {
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return HTTP.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
