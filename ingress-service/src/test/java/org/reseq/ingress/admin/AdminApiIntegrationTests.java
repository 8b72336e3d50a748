package org.reseq.ingress.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reseq.infra.Infrastructure;
import org.reseq.infra.RedisServerAddress;
import org.reseq.infra.TestInfrastructure;
import org.reseq.ingress.support.HttpTester.Response;
import org.reseq.ingress.support.HttpTester;
import org.reseq.model.redis.Codec;
import org.reseq.model.redis.Incarnation;
import org.reseq.model.redis.RedisKeys;
import org.reseq.model.redis.TransformResult;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.datasource.hikari.maximum-pool-size=4")
// The PostgreSQL server is shared: give its connections back after the class.
@DirtiesContext
class AdminApiIntegrationTests {

    private static final TestInfrastructure INFRA = TestInfrastructure.fresh("admin");
    private static final String HTTP_CONFIG = """
            { "type": "HTTP",
              "url": "http://127.0.0.1:9000/orders",
              "transforms": [ { "type": "delay", "minMs": 500, "maxMs": 1000 } ],
              "maxBatch": 100,
              "onFailure": "BLOCK" }""";

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        INFRA.register(registry);
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    RedisTemplate<String, byte[]> redis;

    @Autowired
    StringRedisTemplate strings;

    @Autowired
    RedisConnectionFactory connectionFactory;

    private final RedisKeys keys = new RedisKeys(INFRA.redisPrefix());
    private HttpTester http;

    @BeforeEach
    void client() {
        http = new HttpTester(port);
    }

    @Test
    void putCreatesADestinationWith201AndReplacesItWith200() {
        Response created = http.putJson("/admin/v1/destinations/billing", HTTP_CONFIG);

        assertThat(created.status()).as(created.text()).isEqualTo(201);
        assertThat(created.header("Location")).endsWith("/admin/v1/destinations/billing");
        assertThat(created.json().path("name").asString()).isEqualTo("billing");
        assertThat(created.json().path("url").asString()).isEqualTo("http://127.0.0.1:9000/orders");
        assertThat(jdbc.sql("select last_sequence from destination_sequence where destination = 'billing'")
                .query(Long.class).single()).isZero();
        assertThat(jdbc.sql("select role from destination_cursor where destination = 'billing' order by role")
                .query(String.class).list()).containsExactly("EGRESS", "RESEQUENCER");

        Response replaced = http.putJson("/admin/v1/destinations/billing",
                HTTP_CONFIG.replace("9000/orders", "9001/billing"));

        assertThat(replaced.status()).as(replaced.text()).isEqualTo(200);
        JsonNode stored = http.get("/admin/v1/destinations/billing").json();
        assertThat(stored.path("url").asString()).isEqualTo("http://127.0.0.1:9001/billing");
        assertThat(stored.path("type").asString()).isEqualTo("HTTP");
        assertThat(stored.path("transforms").get(0).path("type").asString()).isEqualTo("delay");
        assertThat(stored.path("maxBatch").asInt()).isEqualTo(100);
        assertThat(stored.path("onFailure").asString()).isEqualTo("BLOCK");
    }

    @Test
    void aConfigurationOver64KiBIs413AndStoresNothing() {
        String url = "http://127.0.0.1:9/" + "x".repeat(DestinationAdminController.MAX_CONFIGURATION_BYTES);

        Response response = http.putJson("/admin/v1/destinations/huge", "{\"type\":\"HTTP\",\"url\":\"" + url + "\"}");

        response.assertProblem(413, "payload-too-large");
        assertThat(response.json().path("limit").asLong()).isEqualTo(65_536);
        http.get("/admin/v1/destinations/huge").assertProblem(404, "not-found");
    }

    @Test
    void anInvalidDestinationIs400NamingEveryInvalidField() {
        Response response = http.putJson("/admin/v1/destinations/Not-Valid!",
                "{\"type\":\"HTTP\",\"maxBatch\":0,\"transforms\":[{\"type\":\"delay\",\"minMs\":-1}]}");

        response.assertProblem(400, "invalid-request");
        assertThat(response.errorFields()).containsExactlyInAnyOrder("name", "url", "maxBatch", "transforms[0].minMs");
        assertThat(response.json().path("errors").get(0).path("message").asString()).isNotBlank();

        Response tcp = http.putJson("/admin/v1/destinations/tcp-sink", "{\"type\":\"TCP\",\"port\":70000}");
        tcp.assertProblem(400, "invalid-request");
        assertThat(tcp.errorFields()).containsExactlyInAnyOrder("host", "port", "framing");
        http.get("/admin/v1/destinations/tcp-sink").assertProblem(404, "not-found");
    }

    @Test
    void aTcpDestinationAtTheSuitesOwnRedisIs400NamingTheHostAndIsNotStored() {
        RedisServerAddress suiteRedis = Infrastructure.redis();

        Response response = http.putJson("/admin/v1/destinations/into-redis", """
                {"type":"TCP","host":"%s","port":%d,"framing":"LINE","ack":"LINE"}"""
                .formatted(suiteRedis.host(), suiteRedis.port()));

        response.assertProblem(400, "invalid-request");
        assertThat(response.errorFields()).containsExactly("host");
        String verb = suiteRedis.host().matches("[0-9.]+|.*:.*") ? "is" : "resolves to"; // an IP literal, or a name
        assertThat(response.json().path("errors").get(0).path("message").asString())
                .isEqualTo("is refused by the destination guard: %s:%d %s the suite's own Redis".formatted(
                        suiteRedis.host(), suiteRedis.port(), verb));
        http.get("/admin/v1/destinations/into-redis").assertProblem(404, "not-found");
    }

    @Test
    void anHttpDestinationOrTransformAtTheMetadataAddressIs400NamingEachField() {
        Response response = http.putJson("/admin/v1/destinations/metadata", """
                { "type": "HTTP", "url": "http://169.254.169.254/latest/meta-data/?secret=1",
                  "transforms": [ { "type": "delay", "minMs": 1 },
                                  { "type": "http", "url": "https://[fe80::1]:8443/enrich" },
                                  { "type": "http", "url": "http://169.254.169.254:80/x" } ] }""");

        response.assertProblem(400, "invalid-request");
        assertThat(response.errorFields()).containsExactly("url", "transforms[1].url", "transforms[2].url");
        assertThat(response.json().path("errors").get(0).path("message").asString())
                .isEqualTo("is refused by the destination guard: 169.254.169.254:80 is a link-local or cloud metadata"
                        + " address");
        assertThat(response.text()).doesNotContain("secret").doesNotContain("meta-data");
        http.get("/admin/v1/destinations/metadata").assertProblem(404, "not-found");
    }

    @Test
    void loopbackDestinationsAreSavedWhileSecurityIsOff() {
        Response response = http.putJson("/admin/v1/destinations/on-loopback", """
                {"type":"TCP","host":"localhost","port":9100,"framing":"LINE",
                 "transforms":[{"type":"http","url":"http://[::1]:9101/t"}]}""");

        assertThat(response.status()).as(response.text()).isEqualTo(201);
    }

    @Test
    void unknownFieldsWrongTypesAndMalformedJsonAre400NamingTheField() {
        Response unknown = http.putJson("/admin/v1/destinations/strict",
                "{\"type\":\"HTTP\",\"url\":\"http://127.0.0.1:9000/x\",\"colour\":\"red\"}");
        unknown.assertProblem(400, "invalid-request");
        assertThat(unknown.errorFields()).containsExactly("colour");

        Response badTransform = http.putJson("/admin/v1/destinations/strict",
                "{\"type\":\"HTTP\",\"url\":\"http://127.0.0.1:9000/x\",\"transforms\":[{\"type\":\"teleport\"}]}");
        badTransform.assertProblem(400, "invalid-request");
        assertThat(badTransform.errorFields()).containsExactly("transforms[0].type");

        Response wrongType = http.putJson("/admin/v1/destinations/strict",
                "{\"type\":\"HTTP\",\"url\":\"http://127.0.0.1:9000/x\",\"maxBatch\":\"many\"}");
        wrongType.assertProblem(400, "invalid-request");
        assertThat(wrongType.errorFields()).containsExactly("maxBatch");

        Response malformed = http.putJson("/admin/v1/destinations/strict", "{\"type\": ");
        malformed.assertProblem(400, "invalid-request");
        assertThat(malformed.errorFields()).containsExactly("body");

        Response empty = http.putJson("/admin/v1/destinations/strict", "");
        empty.assertProblem(400, "invalid-request");
        assertThat(empty.errorFields()).containsExactly("body");
    }

    @Test
    void theWrongMediaTypeAnUnsupportedMethodAndAnUnknownRouteAreProblems() {
        http.send("PUT", "/admin/v1/destinations/typed", HTTP_CONFIG.getBytes(StandardCharsets.UTF_8),
                Map.of("Content-Type", "text/plain")).assertProblem(415, "unsupported-media-type");
        http.send("PATCH", "/admin/v1/destinations/typed", HTTP_CONFIG.getBytes(StandardCharsets.UTF_8),
                Map.of("Content-Type", "application/json")).assertProblem(405, "method-not-allowed");
        http.get("/admin/v1/nothing-here").assertProblem(404, "not-found");
        http.get("/no/such/route").assertProblem(404, "not-found");
        http.send("GET", "/api/v1/channels/x/messages", null, Map.of()).assertProblem(405, "method-not-allowed");
    }

    @Test
    void requestsTomcatRefusesBeforeAnyControllerAreProblemsToo() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET /admin/v1/destinations/%zz HTTP/1.1\r\nHost: localhost\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

            assertThat(response).startsWith("HTTP/1.1 400");
            assertThat(response).containsIgnoringCase("Content-Type: application/problem+json");
            assertThat(response).contains("\"type\":\"https://reseq.dev/problems/invalid-request\"")
                    .doesNotContain("<html");
        }
    }

    @Test
    void missingDestinationsAre404() {
        http.get("/admin/v1/destinations/ghost").assertProblem(404, "not-found");
        http.delete("/admin/v1/destinations/ghost").assertProblem(404, "not-found");
        http.post("/admin/v1/destinations/ghost/pause").assertProblem(404, "not-found");
        http.post("/admin/v1/destinations/ghost/resume").assertProblem(404, "not-found");
    }

    @Test
    void listsDestinationsInNameOrderWithTheirStatus() {
        http.putJson("/admin/v1/destinations/list-b", HTTP_CONFIG);
        http.putJson("/admin/v1/destinations/list-a", HTTP_CONFIG);

        JsonNode list = http.get("/admin/v1/destinations").json();

        List<String> names = new java.util.ArrayList<>();
        list.forEach(destination -> names.add(destination.path("name").asString()));
        assertThat(names).containsSubsequence("list-a", "list-b").isSorted();
        list.forEach(destination -> assertThat(destination.path("status").isObject()).isTrue());
    }

    @Test
    void theStatusReportsCursorsBacklogAndTheHeadOfLine() {
        http.channel("status-in", "status");
        JsonNode fresh = http.get("/admin/v1/destinations/status").json().path("status");
        assertThat(fresh.toString()).isEqualTo("{\"lastSequence\":0,\"releasedSequence\":0,\"deliveredSequence\":0,"
                + "\"backlog\":0,\"paused\":false,\"headOfLine\":null,\"deadLetters\":0,\"deliveryHead\":null,"
                + "\"oldestUndeliveredAgeMs\":null,\"transformTypesWithoutWorker\":[],\"leaders\":[]}");

        List<UUID> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Response posted = http.postMessage("status-in", "text/plain", new byte[] {(byte) i}, Map.of());
            ids.add(UUID.fromString(posted.json().path("messageId").asString()));
        }
        cursor("status", "RESEQUENCER", 1);
        cursor("status", "EGRESS", 1);
        jdbc.sql("update message set arrived_at = now() - interval '5 seconds' where id = :id")
                .param("id", ids.get(1)).update();

        JsonNode processing = http.get("/admin/v1/destinations/status").json().path("status");
        assertThat(processing.path("lastSequence").asLong()).isEqualTo(3);
        assertThat(processing.path("releasedSequence").asLong()).isEqualTo(1);
        assertThat(processing.path("deliveredSequence").asLong()).isEqualTo(1);
        assertThat(processing.path("backlog").asLong()).isEqualTo(2);
        assertThat(processing.path("paused").asBoolean()).isFalse();
        assertThat(processing.path("deadLetters").asLong()).isZero();
        JsonNode head = processing.path("headOfLine");
        assertThat(head.path("sequence").asLong()).isEqualTo(2);
        assertThat(head.path("state").asString()).isEqualTo("PROCESSING");
        assertThat(head.path("ageMs").asLong()).isBetween(5_000L, 60_000L);
        assertThat(head.has("error")).isFalse();
        assertThat(processing.path("oldestUndeliveredAgeMs").asLong()).as("the message at delivered + 1")
                .isBetween(5_000L, 60_000L);

        redis.opsForHash().put(keys.done(incarnation("status")), "2", Codec.encode(new TransformResult(2, ids.get(1), true,
                "text/plain", new byte[] {1}, "", 1, 0)));
        assertThat(http.get("/admin/v1/destinations/status").json().path("status").path("headOfLine")
                .path("state").asString()).isEqualTo("DONE");

        redis.opsForHash().put(keys.done(incarnation("status")), "2", Codec.encode(new TransformResult(2, ids.get(1), false,
                "text/plain", new byte[0], "mapping failed", 3, 0)));
        JsonNode failed = http.get("/admin/v1/destinations/status").json().path("status").path("headOfLine");
        assertThat(failed.path("state").asString()).isEqualTo("FAILED");
        assertThat(failed.path("error").asString()).isEqualTo("mapping failed");
        assertThat(failed.path("attempts").asInt()).isEqualTo(3);

        cursor("status", "RESEQUENCER", 3);
        JsonNode released = http.get("/admin/v1/destinations/status").json().path("status");
        assertThat(released.path("headOfLine").isNull()).isTrue();
        assertThat(released.has("headOfLine")).isTrue();
        redis.delete(keys.done(incarnation("status")));
    }

    @Test
    void deletingARoutedDestinationIs409AndOtherwiseRemovesItAndItsRedisKeys() {
        http.channel("doomed-in", "doomed");
        Incarnation doomed = incarnation("doomed");
        List<String> doomedKeys = List.of(keys.done(doomed), keys.out(doomed), keys.fence(doomed),
                keys.egressFence(doomed), keys.rewind(doomed), keys.commands(doomed), keys.redeliveries(doomed));
        for (String key : doomedKeys) {
            redis.opsForValue().set(key, new byte[] {1});
        }

        Response routed = http.delete("/admin/v1/destinations/doomed");
        routed.assertProblem(409, "conflict");
        assertThat(routed.json().path("channels").get(0).asString()).isEqualTo("doomed-in");
        assertThat(http.get("/admin/v1/destinations/doomed").status()).isEqualTo(200);

        assertThat(http.delete("/admin/v1/channels/doomed-in").status()).isEqualTo(204);
        assertThat(http.delete("/admin/v1/destinations/doomed").status()).isEqualTo(204);

        http.get("/admin/v1/destinations/doomed").assertProblem(404, "not-found");
        assertThat(redis.countExistingKeys(doomedKeys)).isZero();
        assertThat(jdbc.sql("select count(*) from destination_sequence where destination = 'doomed'")
                .query(Long.class).single()).isZero();
        assertThat(jdbc.sql("select count(*) from destination_cursor where destination = 'doomed'")
                .query(Long.class).single()).isZero();
        http.delete("/admin/v1/destinations/doomed").assertProblem(404, "not-found");
    }

    @Test
    void deletingADestinationWithUndeliveredMessagesIs409NamingHowManyUnlessForced() {
        http.channel("pending-in", "pending");
        for (int i = 0; i < 3; i++) {
            assertThat(http.postMessage("pending-in", "text/plain", new byte[] {(byte) i}, Map.of()).status())
                    .isEqualTo(202);
        }
        assertThat(http.delete("/admin/v1/channels/pending-in").status()).isEqualTo(204);
        cursor("pending", "EGRESS", 1);

        Response refused = http.delete("/admin/v1/destinations/pending");

        refused.assertProblem(409, "conflict");
        assertThat(refused.json().path("undelivered").asLong()).isEqualTo(2);
        assertThat(refused.json().path("detail").asString()).contains("2 acknowledged", "force=true");
        assertThat(http.get("/admin/v1/destinations/pending").status()).isEqualTo(200);

        Response forced = http.send("DELETE", "/admin/v1/destinations/pending?force=true", null,
                Map.of("X-Reseq-Actor", "ops@example.com"));

        assertThat(forced.status()).isEqualTo(204);
        http.get("/admin/v1/destinations/pending").assertProblem(404, "not-found");
        JsonNode recorded = http.get("/admin/v1/destinations/pending/actions").json().get(0);
        assertThat(recorded.path("action").asString()).isEqualTo("DELETE");
        assertThat(recorded.path("actor").asString()).isEqualTo("ops@example.com");
        assertThat(recorded.path("detail").asString()).isEqualTo("dropped 2 undelivered message(s), sequences 2 to 3");
    }

    @Test
    void aNameCreatedAgainContinuesItsSequencesAndEpochsAndStartsWithNothingToDeliver() {
        http.channel("phoenix-in", "phoenix");
        for (int i = 0; i < 3; i++) {
            assertThat(http.postMessage("phoenix-in", "text/plain", new byte[] {(byte) i}, Map.of()).status())
                    .isEqualTo(202);
        }
        jdbc.sql("update destination_cursor set epoch = 7 where destination = 'phoenix'").update();
        assertThat(http.delete("/admin/v1/channels/phoenix-in").status()).isEqualTo(204);
        assertThat(http.delete("/admin/v1/destinations/phoenix?force=true").status()).isEqualTo(204);

        http.channel("phoenix-in", "phoenix");

        JsonNode status = http.get("/admin/v1/destinations/phoenix").json().path("status");
        assertThat(status.path("lastSequence").asLong()).isEqualTo(3);
        assertThat(status.path("releasedSequence").asLong()).isEqualTo(3);
        assertThat(status.path("deliveredSequence").asLong()).isEqualTo(3);
        assertThat(status.path("backlog").asLong()).isZero();
        assertThat(jdbc.sql("select min(epoch) from destination_cursor where destination = 'phoenix'")
                .query(Long.class).single()).as("no epoch of the old incarnation repeats").isEqualTo(7);
        assertThat(http.postMessage("phoenix-in", "text/plain", new byte[] {9}, Map.of()).status()).isEqualTo(202);
        assertThat(jdbc.sql("select sequence from delivery where destination = 'phoenix'").query(Long.class).list())
                .containsExactly(4L);
    }

    @Test
    void oneBadStoredEntryIsShownAsUnreadableAndEveryReadGoesOn() {
        http.channel("garbled-in", "garbled", "misconfigured");
        assertThat(http.postMessage("garbled-in", "text/plain", new byte[] {1}, Map.of()).status()).isEqualTo(202);
        redis.opsForHash().put(keys.done(incarnation("garbled")), "1", new byte[] {(byte) 0xff, 0, 42});
        jdbc.sql("update destination set config = '{\"type\":\"CARRIER_PIGEON\"}' where name = 'misconfigured'")
                .update();

        Response list = http.get("/admin/v1/destinations");

        assertThat(list.status()).as(list.text()).isEqualTo(200);
        JsonNode garbled = http.get("/admin/v1/destinations/garbled").json().path("status").path("headOfLine");
        assertThat(garbled.path("state").asString()).isEqualTo("UNREADABLE");
        assertThat(garbled.path("error").asString()).contains("cannot be read");
        JsonNode misconfigured = http.get("/admin/v1/destinations/misconfigured").json();
        assertThat(misconfigured.path("unreadable").asString()).contains("stored configuration cannot be read");
        assertThat(misconfigured.path("status").path("lastSequence").asLong()).isEqualTo(1);
        redis.delete(keys.done(incarnation("garbled")));
    }

    @Test
    void pauseAndResumeSetThePausedFlag() {
        http.putJson("/admin/v1/destinations/pausable", HTTP_CONFIG);

        assertThat(http.post("/admin/v1/destinations/pausable/pause").status()).isEqualTo(204);
        assertThat(paused("pausable")).isTrue();
        assertThat(http.get("/admin/v1/destinations/pausable").json().path("status").path("paused").asBoolean())
                .isTrue();

        assertThat(http.post("/admin/v1/destinations/pausable/resume").status()).isEqualTo(204);
        assertThat(paused("pausable")).isFalse();
        assertThat(http.get("/admin/v1/destinations/pausable").json().path("status").path("paused").asBoolean())
                .isFalse();
    }

    /** The resequencers and egresses learn of every change at once, not at their next poll. */
    @Test
    void everyChangeOfADestinationIsAnnouncedOnTheDestinationsChannel() throws Exception {
        List<String> announced = new CopyOnWriteArrayList<>();
        RedisMessageListenerContainer listener = new RedisMessageListenerContainer();
        listener.setConnectionFactory(connectionFactory);
        listener.addMessageListener((message, pattern) -> announced.add(new String(message.getBody(),
                StandardCharsets.UTF_8)), new ChannelTopic(keys.destinationsChannel()));
        listener.afterPropertiesSet();
        listener.start();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                strings.convertAndSend(keys.destinationsChannel(), "probe");
                return announced.contains("probe");
            });
            announced.clear();

            http.putJson("/admin/v1/destinations/announced", HTTP_CONFIG);
            http.putJson("/admin/v1/destinations/announced", HTTP_CONFIG.replace("100", "50"));
            http.post("/admin/v1/destinations/announced/pause");
            http.post("/admin/v1/destinations/announced/resume");
            http.putJson("/admin/v1/channels/announced-in", "{\"destinations\":[\"announced\"]}");
            Response accepted = http.postMessage("announced-in", "text/plain", "m".getBytes(StandardCharsets.UTF_8),
                    Map.of());
            assertThat(accepted.status()).as(accepted.text()).isEqualTo(202);
            Response skipped = http.post("/admin/v1/destinations/announced/head/skip");
            assertThat(skipped.status()).as(skipped.text()).isEqualTo(202);
            http.delete("/admin/v1/channels/announced-in");
            http.delete("/admin/v1/destinations/announced?force=true");

            // A probe sent before the listener was seen subscribed may still arrive after the clear.
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(announced)
                    .filteredOn(message -> !message.equals("probe"))
                    .as("create, replace, pause, resume, skip, delete").hasSize(6).containsOnly("announced"));
        } finally {
            listener.destroy();
        }
    }

    @Test
    void channelsAreCreatedReplacedReadAndDeleted() {
        http.putJson("/admin/v1/destinations/ch-a", HTTP_CONFIG);
        http.putJson("/admin/v1/destinations/ch-b", HTTP_CONFIG);

        Response created = http.putJson("/admin/v1/channels/ch", "{\"destinations\":[\"ch-b\",\"ch-a\"]}");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        assertThat(created.text())
                .isEqualTo("{\"name\":\"ch\",\"destinations\":[\"ch-b\",\"ch-a\"],\"keepHeaders\":[]}");
        assertThat(jdbc.sql("select destination from channel_destination where channel = 'ch' order by position")
                .query(String.class).list()).containsExactly("ch-b", "ch-a");

        Response replaced = http.putJson("/admin/v1/channels/ch", "{\"destinations\":[\"ch-a\"]}");
        assertThat(replaced.status()).isEqualTo(200);
        assertThat(http.get("/admin/v1/channels/ch").text())
                .isEqualTo("{\"name\":\"ch\",\"destinations\":[\"ch-a\"],\"keepHeaders\":[]}");
        assertThat(http.get("/admin/v1/channels").json().toString())
                .contains("{\"name\":\"ch\",\"destinations\":[\"ch-a\"],\"keepHeaders\":[]}");

        assertThat(http.delete("/admin/v1/channels/ch").status()).isEqualTo(204);
        http.get("/admin/v1/channels/ch").assertProblem(404, "not-found");
        http.delete("/admin/v1/channels/ch").assertProblem(404, "not-found");
        assertThat(jdbc.sql("select count(*) from channel_destination where channel = 'ch'").query(Long.class).single())
                .isZero();
    }

    @Test
    void anInvalidChannelIs400NamingEachBadDestination() {
        http.putJson("/admin/v1/destinations/real", HTTP_CONFIG);

        Response unknown = http.putJson("/admin/v1/channels/bad",
                "{\"destinations\":[\"real\",\"imaginary\",\"also-missing\"]}");
        unknown.assertProblem(400, "invalid-request");
        assertThat(unknown.errorFields()).containsExactly("destinations[1]", "destinations[2]");

        Response invalid = http.putJson("/admin/v1/channels/Bad!", "{\"destinations\":[\"NOT OK\",\"real\",\"real\"]}");
        invalid.assertProblem(400, "invalid-request");
        assertThat(invalid.errorFields()).containsExactly("name", "destinations[0]", "destinations[2]");

        Response empty = http.putJson("/admin/v1/channels/bad", "{\"destinations\":[]}");
        empty.assertProblem(400, "invalid-request");
        assertThat(empty.errorFields()).containsExactly("destinations");

        Response unknownField = http.putJson("/admin/v1/channels/bad", "{\"destinations\":[\"real\"],\"colour\":1}");
        unknownField.assertProblem(400, "invalid-request");
        assertThat(unknownField.errorFields()).containsExactly("colour");

        Response wrongType = http.putJson("/admin/v1/channels/bad", "{\"destinations\":{\"a\":1}}");
        wrongType.assertProblem(400, "invalid-request");
        assertThat(wrongType.errorFields()).containsExactly("destinations");

        Response malformed = http.putJson("/admin/v1/channels/bad", "{\"destinations\":[");
        malformed.assertProblem(400, "invalid-request");
        assertThat(malformed.errorFields()).containsExactly("body");

        http.get("/admin/v1/channels/bad").assertProblem(404, "not-found");
    }

    private void cursor(String destination, String role, long position) {
        jdbc.sql("update destination_cursor set position = :p where destination = :d and role = :r")
                .param("p", position).param("d", destination).param("r", role).update();
    }

    private boolean paused(String destination) {
        return jdbc.sql("select paused from destination where name = :d").param("d", destination)
                .query(Boolean.class).single();
    }

    /** The destination's current incarnation: its row's id names its Redis keys. */
    private Incarnation incarnation(String destination) {
        return new Incarnation(destination, jdbc.sql("select id from destination where name = :name")
                .param("name", destination).query(Integer.class).single());
    }
}
