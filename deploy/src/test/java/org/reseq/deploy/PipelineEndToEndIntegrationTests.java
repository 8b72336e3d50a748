package org.reseq.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.reseq.infra.Infrastructure;
import org.reseq.infra.PostgresServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The ordered pipeline end to end: all four services run as separate processes against real
 * PostgreSQL and Redis; 16 concurrent senders post 3,000 messages to 2 channels that fan out to
 * 3 HTTP destinations; random transform delays make results finish out of order.
 */
class PipelineEndToEndIntegrationTests {

    private static final int MESSAGES = 3_000;
    private static final int SENDERS = 16;
    private static final Map<String, List<String>> ROUTES = Map.of(
            "alpha", List.of("d1", "d2"),
            "beta", List.of("d2", "d3"));

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static Suite suite;
    private static OtlpCollector collector;
    private static String ingress;
    private static final Map<String, RecordingDestination> destinations = new HashMap<>();

    @BeforeAll
    static void startTheSuite() throws IOException {
        PostgresServer postgres = Infrastructure.postgres();
        Map<ServiceKind, Integer> ports = ServicePorts.forEachService();
        Path home = Path.of(System.getProperty("reseq.home", "..")).toAbsolutePath().normalize();
        collector = new OtlpCollector();
        SuiteSettings settings = new SuiteSettings(home, postgres.createFreshDatabase("e2e"), postgres.user(),
                postgres.password(), Infrastructure.redis().url(), "e2e-" + UUID.randomUUID() + ":", 1, ports,
                home.resolve("deploy/target/e2e-logs"), Map.of(
                        "RESEQ_WORKER_PLUGINDIR", pluginDirectory(home).toString(),
                        // Every service exports to the test's collector, soon after a span ends. New
                        // traces are never sampled, so only a trace a sender sampled is exported: the
                        // other tests' messages cost the exporter nothing.
                        "MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_OTLP_ENDPOINT", collector.tracesEndpoint(),
                        "MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_SCHEDULE_DELAY", "200ms",
                        "MANAGEMENT_TRACING_SAMPLING_PROBABILITY", "0"),
                SuiteSettings::defaultJavaOptions);
        suite = Suite.start(settings, Duration.ofMinutes(3));
        ingress = suite.instances(ServiceKind.INGRESS).getFirst().baseUrl();
        for (String name : List.of("d1", "d2", "d3")) {
            destinations.put(name, new RecordingDestination());
        }
    }

    /** A directory holding the example plugin's jar alone, as an operator would give the workers. */
    private static Path pluginDirectory(Path home) throws IOException {
        Path built = home.resolve("examples/redact-transform/target");
        Path jar;
        try (Stream<Path> files = Files.list(built)) {
            jar = files.filter(file -> file.getFileName().toString().matches("redact-transform-.*\\.jar"))
                    .filter(file -> !file.getFileName().toString().contains("-sources"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("build examples/redact-transform first: no jar in "
                            + built));
        }
        Path plugins = Files.createDirectories(home.resolve("deploy/target/e2e-plugins"));
        Files.copy(jar, plugins.resolve("redact-transform.jar"), StandardCopyOption.REPLACE_EXISTING);
        return plugins;
    }

    @AfterAll
    static void stopTheSuite() {
        if (suite != null) {
            suite.close();
        }
        destinations.values().forEach(RecordingDestination::close);
        if (collector != null) {
            collector.close();
        }
    }

    @Test
    void everyDestinationReceivesEveryAcknowledgedMessageOnceInArrivalOrder() throws Exception {
        for (var destination : destinations.entrySet()) {
            put("/admin/v1/destinations/" + destination.getKey(), """
                    { "type": "HTTP", "url": "%s", "transforms": [ { "type": "delay", "minMs": 0, "maxMs": 200 } ] }"""
                    .formatted(destination.getValue().url()));
        }
        for (var route : ROUTES.entrySet()) {
            put("/admin/v1/channels/" + route.getKey(),
                    JSON.writeValueAsString(Map.of("destinations", route.getValue())));
        }
        long started = System.nanoTime();

        Map<String, Ack> acks = new ConcurrentHashMap<>();
        List<List<Ack>> bySender = send(acks);

        Map<String, Integer> expected = new HashMap<>();
        acks.values().forEach(ack -> ack.sequences().keySet().forEach(d -> expected.merge(d, 1, Integer::sum)));
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                destinations.forEach((name, destination) ->
                        assertThat(destination.count()).as(name).isGreaterThanOrEqualTo(expected.get(name))));
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;

        assertThat(acks).hasSize(MESSAGES);
        destinations.forEach((name, destination) -> {
            List<RecordingDestination.Received> received = destination.received();
            assertThat(received).extracting(RecordingDestination.Received::sequence).as("sequences of " + name)
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, expected.get(name)).boxed().toList());
            for (RecordingDestination.Received r : received) {
                Ack ack = acks.get(r.messageId());
                assertThat(ack).as("an acknowledged message at " + name).isNotNull();
                assertThat(ack.sequences()).containsEntry(name, r.sequence());
                assertThat(r.destination()).isEqualTo(name);
                assertThat(r.idempotencyKey()).isEqualTo(name + ":" + r.sequence());
                assertThat(r.body()).isEqualTo(ack.body());
            }
            assertThat(destination.maxInFlight()).as("requests in flight at " + name).isEqualTo(1);
        });
        // A sender that got the 202 for A before sending B sees A before B everywhere.
        for (List<Ack> sent : bySender) {
            for (String destination : destinations.keySet()) {
                assertThat(sent.stream().filter(a -> a.sequences().containsKey(destination))
                        .map(a -> a.sequences().get(destination)).toList()).isSorted();
            }
        }
        System.out.printf("end-to-end: %d messages, %d deliveries to 3 destinations in %d ms%n", MESSAGES,
                expected.values().stream().mapToInt(Integer::intValue).sum(), elapsedMs);
    }

    /**
     * Batch in, batch out: 300 messages posted in batches of 50 reach a destination without
     * transforms (released straight from dispatch) and one with transforms that finish out of
     * order, each as ordered JSON arrays of at most 40, every message once, bodies intact.
     */
    @Test
    void batchedDestinationsReceiveEveryMessageInOrderedArrays() throws Exception {
        try (RecordingDestination plain = new RecordingDestination();
             RecordingDestination transformed = new RecordingDestination()) {
            put("/admin/v1/destinations/batch-plain", """
                    { "type": "HTTP", "url": "%s", "delivery": { "mode": "BATCH", "maxMessages": 40 } }"""
                    .formatted(plain.url()));
            put("/admin/v1/destinations/batch-transformed", """
                    { "type": "HTTP", "url": "%s", "delivery": { "mode": "BATCH", "maxMessages": 40 },
                      "transforms": [ { "type": "delay", "minMs": 0, "maxMs": 100 } ] }""".formatted(transformed.url()));
            put("/admin/v1/channels/batches", "{ \"destinations\": [\"batch-plain\", \"batch-transformed\"] }");

            int batches = 6;
            int perBatch = 50;
            for (int b = 0; b < batches; b++) {
                StringBuilder items = new StringBuilder("[");
                for (int i = 0; i < perBatch; i++) {
                    items.append(i == 0 ? "" : ",").append("{\"body\":{\"n\":").append(b * perBatch + i).append("}}");
                }
                HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                                URI.create(ingress + "/api/v1/channels/batches/messages/batch"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(items.append("]").toString())).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
                assertThat(JSON.readTree(response.body()).get("receipts").size()).isEqualTo(perBatch);
            }

            int total = batches * perBatch;
            for (RecordingDestination destination : List.of(plain, transformed)) {
                await().atMost(Duration.ofMinutes(1)).until(() -> destination.count() >= total);
                assertThat(destination.received()).extracting(RecordingDestination.Received::sequence)
                        .containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
                assertThat(destination.received()).extracting(RecordingDestination.Received::body)
                        .containsExactlyElementsOf(IntStream.range(0, total).mapToObj(n -> "{\"n\":" + n + "}").toList());
                assertThat(destination.batchSizes()).allSatisfy(size -> assertThat(size).isBetween(1, 40));
                assertThat(destination.batchSizes().size()).as("requests").isLessThan(total);
                assertThat(destination.received()).allSatisfy(r ->
                        assertThat(r.idempotencyKey()).isEqualTo(r.destination() + ":" + r.sequence()));
            }
        }
    }

    @Test
    void poisonMessagesFollowEachDestinationsPolicyAndOperatorsRetrySkipAndRedeliver() throws Exception {
        try (PoisonTransform transform = new PoisonTransform();
             RecordingDestination strict = new RecordingDestination();
             RecordingDestination lenient = new RecordingDestination()) {
            putThroughTransform("strict", strict, "BLOCK", transform);
            putThroughTransform("lenient", lenient, "DEAD_LETTER", transform);
            put("/admin/v1/channels/poison",
                    "{ \"destinations\": [\"strict\", \"lenient\"], \"keepHeaders\": [\"X-Correlation-Id\"] }");
            for (String body : List.of("m1", "m2", "poison m3", "m4", "m5", "m6")) {
                postTo("poison", body);
            }

            // DEAD_LETTER: the poison message is recorded and the rest goes on in order.
            await().atMost(Duration.ofMinutes(1)).until(() -> lenient.count() == 5);
            assertThat(lenient.received()).extracting(RecordingDestination.Received::sequence)
                    .containsExactly(1L, 2L, 4L, 5L, 6L);
            JsonNode deadLetters = get("/admin/v1/destinations/lenient/dead-letters");
            assertThat(deadLetters).hasSize(1);
            assertThat(deadLetters.get(0).get("sequence").asLong()).isEqualTo(3);
            assertThat(deadLetters.get(0).get("stage").asString()).isEqualTo("TRANSFORM");
            assertThat(deadLetters.get(0).get("attempts").asInt()).isEqualTo(2);

            // BLOCK: nothing passes the poison message; the status says why.
            await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
                JsonNode head = get("/admin/v1/destinations/strict").get("status").get("headOfLine");
                assertThat(head.get("sequence").asLong()).isEqualTo(3);
                assertThat(head.get("state").asString()).isEqualTo("FAILED");
            });
            assertThat(strict.received()).extracting(RecordingDestination.Received::sequence).containsExactly(1L, 2L);

            // An operator fixes the cause and retries the head: everything arrives, in order.
            transform.heal();
            assertThat(postAdmin("/admin/v1/destinations/strict/head/retry", "alice")).isEqualTo(202);
            await().atMost(Duration.ofMinutes(1)).until(() -> strict.count() == 6);
            assertThat(strict.received()).extracting(RecordingDestination.Received::sequence)
                    .containsExactly(1L, 2L, 3L, 4L, 5L, 6L);

            // The dead letter is redelivered on request, out of order and marked as such.
            assertThat(postAdmin("/admin/v1/destinations/lenient/dead-letters/3/redeliver", "alice")).isEqualTo(202);
            await().atMost(Duration.ofMinutes(1)).until(() -> lenient.count() == 6);
            RecordingDestination.Received redelivered = lenient.received().getLast();
            assertThat(redelivered.sequence()).isEqualTo(3);
            assertThat(redelivered.redelivery()).isTrue();
            assertThat(redelivered.body()).isEqualTo("poison m3");
            // The dead letter kept the message's travelling headers for its redelivery.
            assertThat(redelivered.header("X-Correlation-Id")).isEqualTo("poison m3");

            // A skipped head becomes a dead letter and the line moves on.
            transform.poison();
            postTo("poison", "poison m7");
            postTo("poison", "m8");
            await().atMost(Duration.ofMinutes(1)).until(() -> "FAILED".equals(
                    get("/admin/v1/destinations/strict").get("status").get("headOfLine").path("state").asString()));
            assertThat(postAdmin("/admin/v1/destinations/strict/head/skip", "bob")).isEqualTo(202);
            await().atMost(Duration.ofMinutes(1)).until(() -> strict.count() == 7);
            assertThat(strict.received().getLast().sequence()).isEqualTo(8);
            assertThat(get("/admin/v1/destinations/strict/dead-letters").get(0).get("stage").asString())
                    .isEqualTo("SKIPPED");
            assertThat(get("/admin/v1/destinations/strict/actions")).extracting(a -> a.get("action").asString()
                    + " by " + a.get("actor").asString()).containsExactly("SKIP by bob", "RETRY by alice");
        }
    }

    /**
     * The sender headers a channel keeps travel with each message, through a transform chain, to
     * HTTP destinations: those it does not keep stay behind, and a destination's own header wins
     * over a travelling one of the same name.
     */
    @Test
    void keptSenderHeadersTravelWithEachMessageToHttpDestinations() throws Exception {
        try (RecordingDestination plain = new RecordingDestination();
             RecordingDestination tenanted = new RecordingDestination()) {
            put("/admin/v1/destinations/headed-plain", """
                    { "type": "HTTP", "url": "%s", "transforms": [ { "type": "delay", "minMs": 0, "maxMs": 50 } ] }"""
                    .formatted(plain.url()));
            put("/admin/v1/destinations/headed-tenanted", """
                    { "type": "HTTP", "url": "%s", "headers": { "X-Tenant": "by-operator" } }"""
                    .formatted(tenanted.url()));
            put("/admin/v1/channels/headed", """
                    { "destinations": ["headed-plain", "headed-tenanted"],
                      "keepHeaders": ["X-Correlation-Id", "X-Tenant"] }""");

            for (int i = 1; i <= 5; i++) {
                HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                                URI.create(ingress + "/api/v1/channels/headed/messages"))
                        .header("Content-Type", "text/plain")
                        .header("X-Correlation-Id", "c-" + i)
                        .header("x-tenant", "acme")
                        .header("X-Other", "stays behind")
                        .POST(HttpRequest.BodyPublishers.ofString("m" + i)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
            }

            await().atMost(Duration.ofMinutes(1)).until(() -> plain.count() == 5 && tenanted.count() == 5);
            for (RecordingDestination destination : List.of(plain, tenanted)) {
                List<RecordingDestination.Received> received = destination.received();
                assertThat(received).extracting(RecordingDestination.Received::sequence)
                        .containsExactly(1L, 2L, 3L, 4L, 5L);
                for (RecordingDestination.Received r : received) {
                    assertThat(r.header("X-Correlation-Id")).isEqualTo("c-" + r.sequence());
                    assertThat(r.body()).isEqualTo("m" + r.sequence());
                    assertThat(r.header("X-Other")).isNull();
                }
            }
            assertThat(plain.received()).extracting(r -> r.header("X-Tenant")).containsOnly("acme");
            assertThat(tenanted.received()).extracting(r -> r.header("X-Tenant")).containsOnly("by-operator");
        }
    }

    /**
     * A message continues its sender's trace through every service: the http transform step and
     * the destination receive a {@code traceparent} of that trace (each from a span of its own,
     * still sampled as the sender asked), and each service exports its spans of it. A message
     * sent without one still reaches the destination with a trace context of its own.
     */
    @Test
    void aMessageContinuesItsSendersTraceThroughEveryServiceToTheDestination() throws Exception {
        try (PoisonTransform echo = new PoisonTransform();
             RecordingDestination traced = new RecordingDestination()) {
            echo.heal();
            put("/admin/v1/destinations/traced", """
                    { "type": "HTTP", "url": "%s", "transforms": [ { "type": "http", "url": "%s", "timeoutMs": 2000 } ] }"""
                    .formatted(traced.url(), echo.url()));
            put("/admin/v1/channels/tracing", "{ \"destinations\": [\"traced\"] }");
            // Two sampled traces of their own with an unsampled message between them: each message
            // must keep its own trace, whatever the services handled before it.
            List<String> traceIds = List.of(UUID.randomUUID().toString().replace("-", ""),
                    UUID.randomUUID().toString().replace("-", ""));
            String senderSpanId = "00f067aa0ba902b7";
            postTraced("tracing", "traced 0", "00-" + traceIds.get(0) + "-" + senderSpanId + "-01");
            postAcked("tracing", "untraced");
            postTraced("tracing", "traced 1", "00-" + traceIds.get(1) + "-" + senderSpanId + "-01");

            await().atMost(Duration.ofMinutes(1)).until(() -> traced.count() == 3);
            Map<String, String> deliveredSpans = new HashMap<>();
            for (RecordingDestination.Received r : traced.received()) {
                List<String> sent = List.of(r.header("traceparent").split("-"));
                if (r.body().equals("untraced")) {
                    assertThat(sent.get(1)).as("a trace of its own").isNotIn(traceIds);
                    assertThat(sent.get(3)).as("new traces are not sampled in this suite").isEqualTo("00");
                    continue;
                }
                String traceId = traceIds.get(Integer.parseInt(r.body().substring("traced ".length())));
                assertThat(sent).as(r.body()).containsExactly("00", traceId, sent.get(2), "01");
                assertThat(sent.get(2)).as("the delivery's own span").isNotEqualTo(senderSpanId);
                deliveredSpans.put(traceId, sent.get(2));
            }
            assertThat(deliveredSpans).containsOnlyKeys(traceIds);
            for (String traceId : traceIds) {
                assertThat(echo.traceparents()).as("the http step's request in the trace " + traceId)
                        .filteredOn(traceparent -> traceparent.contains(traceId)).singleElement()
                        .satisfies(traceparent -> assertThat(traceparent.split("-")[2])
                                .isNotIn(senderSpanId, deliveredSpans.get(traceId)));
            }

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                for (String service : List.of("ingress-service", "resequencer-service", "transform-worker",
                        "egress-service")) {
                    for (String traceId : traceIds) {
                        assertThat(collector.received(service, HexFormat.of().parseHex(traceId)))
                                .as("spans of the trace " + traceId + " from " + service).isTrue();
                    }
                }
            });
        }
    }

    /**
     * A plugin from the workers' plugin directory runs in a destination's chain beside built-ins:
     * its type and schema reach ingress through the catalog (a configuration its schema refuses
     * is a 400 naming the field), it masks every message, and a headers step after it changes
     * the travelling headers, all in order.
     */
    @Test
    void aPluginFromThePluginDirectoryRunsInTheChainWithTheHeadersStep() throws Exception {
        try (RecordingDestination cards = new RecordingDestination()) {
            HttpResponse<String> refused = putAnswer("/admin/v1/destinations/cards", """
                    { "type": "HTTP", "url": "%s", "transforms": [ { "type": "redact", "keepLast": "four" } ] }"""
                    .formatted(cards.url()));
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
            assertThat(JSON.readTree(refused.body()).path("errors")).extracting(e -> e.path("field").asString())
                    .containsExactlyInAnyOrder("transforms[0].pattern", "transforms[0].keepLast");

            put("/admin/v1/destinations/cards", """
                    { "type": "HTTP", "url": "%s", "transforms": [
                      { "type": "redact", "pattern": "\\\\b\\\\d{16}\\\\b", "replacement": "****", "keepLast": 4 },
                      { "type": "headers", "copy": { "X-Trace-Id": "x-correlation-id" },
                        "set": { "X-Masked": "yes", "X-Position": { "jsonata": "$destination & '#' & $sequence" } },
                        "remove": [ "X-Tenant" ] } ] }""".formatted(cards.url()));
            put("/admin/v1/channels/card-payments", """
                    { "destinations": ["cards"], "keepHeaders": ["X-Correlation-Id", "X-Tenant"] }""");

            for (int i = 1; i <= 10; i++) {
                HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                                URI.create(ingress + "/api/v1/channels/card-payments/messages"))
                        .header("Content-Type", "application/json")
                        .header("X-Correlation-Id", "c-" + i)
                        .header("X-Tenant", "acme")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"n\":" + i + ",\"card\":\"41111111111110" + (10 + i) + "\"}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
            }

            await().atMost(Duration.ofMinutes(1)).until(() -> cards.count() == 10);
            List<RecordingDestination.Received> received = cards.received();
            assertThat(received).extracting(RecordingDestination.Received::sequence)
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, 10).boxed().toList());
            for (RecordingDestination.Received r : received) {
                long n = r.sequence();
                assertThat(r.body()).isEqualTo("{\"n\":" + n + ",\"card\":\"****" + "10" + (10 + n) + "\"}");
                assertThat(r.header("X-Trace-Id")).isEqualTo("c-" + n);
                assertThat(r.header("X-Correlation-Id")).isEqualTo("c-" + n);
                assertThat(r.header("X-Masked")).isEqualTo("yes");
                assertThat(r.header("X-Position")).isEqualTo("cards#" + n);
                assertThat(r.header("X-Tenant")).isNull();
            }
            JsonNode status = get("/admin/v1/destinations/cards").path("status");
            assertThat(status.path("transformTypesWithoutWorker")).isEmpty();
            JsonNode redact = null;
            for (JsonNode type : get("/admin/v1/transform-types")) {
                if (type.path("name").asString().equals("redact")) {
                    redact = type;
                }
            }
            assertThat(redact).as("the plugin's type is published").isNotNull();
            assertThat(redact.path("liveWorkers").asInt()).isPositive();
            assertThat(redact.path("configSchema").path("required").get(0).asString()).isEqualTo("pattern");
        }
    }

    /**
     * An operator replaces a destination (delete, then create the same name) while its transforms
     * are in flight: the new one delivers exactly the messages acknowledged for it, in order, under
     * idempotency keys never used before, and nothing of the old one.
     */
    @Test
    void aDestinationCreatedAgainWhileItsTransformsRunDeliversExactlyItsOwnMessages() throws Exception {
        try (RecordingDestination receiver = new RecordingDestination()) {
            String config = """
                    { "type": "HTTP", "url": "%s", "transforms": [ { "type": "delay", "minMs": 1500, "maxMs": 2500 } ] }"""
                    .formatted(receiver.url());
            put("/admin/v1/destinations/phoenix", config);
            put("/admin/v1/channels/rebirth", "{ \"destinations\": [\"phoenix\"] }");
            List<Ack> old = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                old.add(postAcked("rebirth", "old " + i));
            }

            assertThat(delete("/admin/v1/channels/rebirth")).isEqualTo(204);
            assertThat(delete("/admin/v1/destinations/phoenix")).as("undelivered messages are not dropped silently")
                    .isEqualTo(409);
            assertThat(delete("/admin/v1/destinations/phoenix?force=true")).isEqualTo(204);
            put("/admin/v1/destinations/phoenix", config);
            put("/admin/v1/channels/rebirth", "{ \"destinations\": [\"phoenix\"] }");
            List<Ack> fresh = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                fresh.add(postAcked("rebirth", "new " + i));
            }

            await().atMost(Duration.ofMinutes(2)).until(() -> receiver.received().stream()
                    .filter(r -> r.body().startsWith("new ")).count() == fresh.size());
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                    .until(() -> receiver.received().stream().filter(r -> r.body().startsWith("new ")).count(),
                            count -> count == fresh.size());
            List<RecordingDestination.Received> received = receiver.received();
            List<RecordingDestination.Received> before = received.stream().filter(r -> r.body().startsWith("old "))
                    .toList();
            List<RecordingDestination.Received> after = received.subList(before.size(), received.size());
            assertThat(received.subList(0, before.size())).as("the old incarnation's, delivered before the delete")
                    .containsExactlyElementsOf(before);
            assertThat(after).extracting(RecordingDestination.Received::messageId)
                    .containsExactlyElementsOf(fresh.stream().map(Ack::messageId).toList());
            assertThat(after).extracting(RecordingDestination.Received::body)
                    .containsExactlyElementsOf(fresh.stream().map(Ack::body).toList());
            assertThat(after).extracting(RecordingDestination.Received::sequence)
                    .containsExactlyElementsOf(LongStream.rangeClosed(51, 100).boxed().toList());
            assertThat(fresh).extracting(ack -> ack.sequences().get("phoenix"))
                    .containsExactlyElementsOf(LongStream.rangeClosed(51, 100).boxed().toList());
            List<String> oldKeys = before.stream().map(RecordingDestination.Received::idempotencyKey).toList();
            assertThat(after).extracting(RecordingDestination.Received::idempotencyKey).as("keys never seen before")
                    .filteredOn(oldKeys::contains).isEmpty();
            assertThat(before).extracting(RecordingDestination.Received::messageId)
                    .isSubsetOf(old.stream().map(Ack::messageId).toList());
        }
    }

    private static void putThroughTransform(String name, RecordingDestination target, String onFailure,
                                            PoisonTransform transform) throws IOException, InterruptedException {
        put("/admin/v1/destinations/" + name, """
                { "type": "HTTP", "url": "%s", "onFailure": "%s", "transformAttempts": 2,
                  "transforms": [ { "type": "http", "url": "%s", "timeoutMs": 2000 } ] }"""
                .formatted(target.url(), onFailure, transform.url()));
    }

    /** Posts a message whose {@code X-Correlation-Id} is its body, for a channel that keeps it. */
    private static void postTo(String channel, String body) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                        URI.create(ingress + "/api/v1/channels/" + channel + "/messages"))
                .header("Content-Type", "text/plain")
                .header("X-Correlation-Id", body)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    }

    private static void postTraced(String channel, String body, String traceparent)
            throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                        URI.create(ingress + "/api/v1/channels/" + channel + "/messages"))
                .header("Content-Type", "text/plain")
                .header("traceparent", traceparent)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    }

    private static Ack postAcked(String channel, String body) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                        URI.create(ingress + "/api/v1/channels/" + channel + "/messages"))
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        JsonNode json = JSON.readTree(response.body());
        Map<String, Long> sequences = new HashMap<>();
        json.get("deliveries").forEach(d -> sequences.put(d.get("destination").asString(), d.get("sequence").asLong()));
        return new Ack(json.get("messageId").asString(), body, sequences);
    }

    private static int delete(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(ingress + path)).DELETE().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static int postAdmin(String path, String actor) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(ingress + path)).header("X-Reseq-Actor", actor)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(ingress + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private record Ack(String messageId, String body, Map<String, Long> sequences) {
    }

    private static List<List<Ack>> send(Map<String, Ack> acks) throws Exception {
        List<List<Ack>> bySender = new ArrayList<>();
        try (ExecutorService senders = Executors.newFixedThreadPool(SENDERS)) {
            List<Future<List<Ack>>> futures = new ArrayList<>();
            for (int s = 0; s < SENDERS; s++) {
                int sender = s;
                futures.add(senders.submit(() -> {
                    List<Ack> sent = new ArrayList<>();
                    for (int i = sender; i < MESSAGES; i += SENDERS) {
                        String channel = i % 2 == 0 ? "alpha" : "beta";
                        String body = "message " + i + " from sender " + sender;
                        Ack ack = post(channel, body);
                        acks.put(ack.messageId(), ack);
                        sent.add(ack);
                    }
                    return sent;
                }));
            }
            for (Future<List<Ack>> future : futures) {
                bySender.add(future.get());
            }
        }
        return bySender;
    }

    private static Ack post(String channel, String body) throws IOException, InterruptedException {
        Ack ack = postAcked(channel, body);
        assertThat(ack.sequences().keySet()).containsExactlyInAnyOrderElementsOf(ROUTES.get(channel));
        return ack;
    }

    private static void put(String path, String json) throws IOException, InterruptedException {
        HttpResponse<String> response = putAnswer(path, json);
        assertThat(response.statusCode()).as(response.body()).isIn(200, 201);
    }

    private static HttpResponse<String> putAnswer(String path, String json) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(ingress + path))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Every reseq metric the Grafana dashboard and the Prometheus alert rules name is exported by
     * a running instance, while a destination of this test is led and has delivered messages
     * (per-destination meters exist only then).
     */
    @Test
    void everyMetricTheDashboardAndTheAlertRulesNameIsExported() throws Exception {
        try (RecordingDestination observed = new RecordingDestination()) {
            put("/admin/v1/destinations/observed", """
                    { "type": "HTTP", "url": "%s", "transforms": [ { "type": "delay", "minMs": 0, "maxMs": 20 } ] }"""
                    .formatted(observed.url()));
            put("/admin/v1/channels/observed-in", "{ \"destinations\": [\"observed\"] }");
            for (int i = 1; i <= 5; i++) {
                postTo("observed-in", "observed " + i);
            }
            await().atMost(Duration.ofMinutes(1)).until(() -> observed.count() == 5);

            java.util.Set<String> named = ObservabilityFiles.metricNames();
            assertThat(named).isNotEmpty();
            // the per-destination gauges of ingress refresh every few seconds
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
                java.util.Set<String> exported = new java.util.TreeSet<>();
                for (ServiceProcess instance : suite.all()) {
                    HttpResponse<String> scraped = HTTP.send(HttpRequest.newBuilder(
                                    URI.create(instance.baseUrl() + "/actuator/prometheus")).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(scraped.statusCode()).as(instance.baseUrl()).isEqualTo(200);
                    exported.addAll(ObservabilityFiles.sampleNames(scraped.body()));
                    assertThat(scraped.body().lines().filter(line -> line.startsWith("reseq_ready"))
                            .map(line -> line.substring(line.lastIndexOf(' ') + 1)))
                            .as("readiness of " + instance.baseUrl()).containsExactly("1.0");
                }
                assertThat(exported).as("exported by a running suite").containsAll(named);
            });
        }
    }
}
