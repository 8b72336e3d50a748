package org.reseq.ingress.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
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
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** The operator controls of the admin API against real PostgreSQL and Redis. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.datasource.hikari.maximum-pool-size=4")
// The PostgreSQL server is shared: give its connections back after the class.
@DirtiesContext
class OperatorApiIntegrationTests {

    private static final TestInfrastructure INFRA = TestInfrastructure.fresh("operator");

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

    private final RedisKeys keys = new RedisKeys(INFRA.redisPrefix());
    private HttpTester http;

    @BeforeEach
    void client() {
        http = new HttpTester(port);
    }

    @Test
    void deadLettersAreListedInSequenceOrderWithoutPayloadAndReadOneByOneWithIt() {
        http.channel("letters-in", "letters");
        UUID second = deadLetter("letters", 5, "DELIVERY", "HTTP 400 from destination", 3, "application/json",
                "{\"a\":1}".getBytes(StandardCharsets.UTF_8));
        UUID first = deadLetter("letters", 2, "TRANSFORM", "mapping failed", 3, "text/plain", new byte[] {0, 1, -1});
        deadLetter("letters", 9, "SKIPPED", "skipped by an operator", 0, "text/plain", new byte[0]);
        jdbc.sql("update dead_letter set redelivered_at = now() where destination = 'letters' and sequence = 5")
                .update();

        JsonNode all = http.get("/admin/v1/destinations/letters/dead-letters").json();
        assertThat(sequences(all)).containsExactly(2L, 5L, 9L);
        JsonNode letter = all.get(0);
        assertThat(letter.path("messageId").asString()).isEqualTo(first.toString());
        assertThat(letter.path("stage").asString()).isEqualTo("TRANSFORM");
        assertThat(letter.path("error").asString()).isEqualTo("mapping failed");
        assertThat(letter.path("attempts").asInt()).isEqualTo(3);
        assertThat(letter.path("contentType").asString()).isEqualTo("text/plain");
        assertThat(Instant.parse(letter.path("deadLetteredAt").asString())).isBefore(Instant.now().plusSeconds(60));
        assertThat(letter.path("redeliveredAt").isNull()).isTrue();
        assertThat(letter.has("payload")).isFalse();
        assertThat(Instant.parse(all.get(1).path("redeliveredAt").asString())).isNotNull();

        JsonNode page = http.get("/admin/v1/destinations/letters/dead-letters?after=2&limit=1").json();
        assertThat(sequences(page)).containsExactly(5L);

        Response one = http.get("/admin/v1/destinations/letters/dead-letters/5");
        assertThat(one.status()).as(one.text()).isEqualTo(200);
        assertThat(one.json().path("messageId").asString()).isEqualTo(second.toString());
        assertThat(one.json().path("stage").asString()).isEqualTo("DELIVERY");
        assertThat(Base64.getDecoder().decode(one.json().path("payload").asString()))
                .isEqualTo("{\"a\":1}".getBytes(StandardCharsets.UTF_8));
        assertThat(Base64.getDecoder().decode(http.get("/admin/v1/destinations/letters/dead-letters/2").json()
                .path("payload").asString())).containsExactly(0, 1, -1);

        assertThat(http.get("/admin/v1/destinations/letters").json().path("status").path("deadLetters").asLong())
                .isEqualTo(3);
    }

    @Test
    void deadLetterRequestsNameTheirProblems() {
        http.channel("letters-bad-in", "letters-bad");

        http.get("/admin/v1/destinations/letters-bad/dead-letters/3").assertProblem(404, "not-found");
        http.get("/admin/v1/destinations/ghost/dead-letters").assertProblem(404, "not-found");
        http.get("/admin/v1/destinations/ghost/dead-letters/1").assertProblem(404, "not-found");
        http.post("/admin/v1/destinations/ghost/dead-letters/1/redeliver").assertProblem(404, "not-found");

        Response invalid = http.get("/admin/v1/destinations/letters-bad/dead-letters?after=-1&limit=1001");
        invalid.assertProblem(400, "invalid-request");
        assertThat(invalid.errorFields()).containsExactly("after", "limit");
        Response notANumber = http.get("/admin/v1/destinations/letters-bad/dead-letters?limit=many");
        notANumber.assertProblem(400, "invalid-request");
        assertThat(notANumber.errorFields()).containsExactly("limit");
        http.get("/admin/v1/destinations/letters-bad/dead-letters?limit=0").assertProblem(400, "invalid-request");
        http.get("/admin/v1/destinations/letters-bad/dead-letters/x").assertProblem(400, "invalid-request");

        assertThat(http.get("/admin/v1/destinations/letters-bad/dead-letters?limit=1000").json().isEmpty()).isTrue();
    }

    @Test
    void aFailedHeadCanBeRetriedAndSkippedAndEachQueuesItsCommandForTheResequencer() {
        http.channel("blocked-in", "blocked");
        UUID messageId = post("blocked-in");
        post("blocked-in");
        failedResult("blocked", 1, messageId, "mapping failed", 3);

        Response retried = http.send("POST", "/admin/v1/destinations/blocked/head/retry", null,
                Map.of("X-Reseq-Actor", "alice"));
        assertThat(retried.status()).as(retried.text()).isEqualTo(202);
        assertThat(retried.json().path("action").asString()).isEqualTo("RETRY");
        assertThat(retried.json().path("sequence").asLong()).isEqualTo(1);
        assertThat(retried.json().path("actor").asString()).isEqualTo("alice");
        assertThat(retried.json().path("detail").asString()).contains("mapping failed").contains("3 attempt");
        assertThat(commands("blocked")).containsExactly("RETRY:1");

        Response skipped = http.post("/admin/v1/destinations/blocked/head/skip");
        assertThat(skipped.status()).as(skipped.text()).isEqualTo(202);
        assertThat(skipped.json().path("action").asString()).isEqualTo("SKIP");
        assertThat(skipped.json().path("actor").isNull()).isTrue();
        assertThat(commands("blocked")).containsExactly("RETRY:1", "SKIP:1");
        assertThat(redeliveries("blocked")).isEmpty();

        // The head is whatever follows the released cursor.
        cursor("blocked", 1);
        failedResult("blocked", 2, messageId, "timed out", 1);
        assertThat(http.post("/admin/v1/destinations/blocked/head/retry").status()).isEqualTo(202);
        assertThat(commands("blocked")).containsExactly("RETRY:1", "SKIP:1", "RETRY:2");
    }

    @Test
    void aHeadEgressHoldsIsShownAndItsSkipGoesToEgress() {
        http.channel("held-in", "held");
        post("held-in");
        post("held-in");
        cursor("held", 2); // both released; egress holds the first
        strings.opsForValue().set(keys.held(incarnation("held")), "1 answered HTTP 422");

        JsonNode head = http.get("/admin/v1/destinations/held").json().path("status").path("deliveryHead");
        assertThat(head.path("sequence").asLong()).isEqualTo(1);
        assertThat(head.path("state").asString()).isEqualTo("HELD");
        assertThat(head.path("error").asString()).isEqualTo("answered HTTP 422");

        Response skipped = http.post("/admin/v1/destinations/held/head/skip");

        assertThat(skipped.status()).as(skipped.text()).isEqualTo(202);
        assertThat(skipped.json().path("sequence").asLong()).isEqualTo(1);
        assertThat(skipped.json().path("detail").asString()).isEqualTo("held by egress: answered HTTP 422");
        assertThat(redeliveries("held")).containsExactly("SKIP:1");
        assertThat(commands("held")).isEmpty();

        strings.opsForValue().set(keys.held(incarnation("held")), "0 stale: delivered since");
        assertThat(http.get("/admin/v1/destinations/held").json().path("status").path("deliveryHead").isNull())
                .isTrue();
    }

    @Test
    void aHeadWithoutResultCanBeSkippedButNotRetried() {
        http.channel("stuck-in", "stuck");
        post("stuck-in");

        JsonNode problem = http.post("/admin/v1/destinations/stuck/head/retry").assertProblem(409, "head-not-blocked");
        assertThat(problem.path("sequence").asLong()).isEqualTo(1);
        assertThat(problem.path("state").asString()).isEqualTo("PROCESSING");
        assertThat(commands("stuck")).isEmpty();

        Response skipped = http.post("/admin/v1/destinations/stuck/head/skip");
        assertThat(skipped.status()).as(skipped.text()).isEqualTo(202);
        assertThat(skipped.json().path("detail").asString()).isEqualTo("no result yet");
        assertThat(commands("stuck")).containsExactly("SKIP:1");
    }

    @Test
    void aHeadThatIsNotBlockedIs409AndAnUnknownDestination404() {
        http.channel("flowing-in", "flowing");
        http.post("/admin/v1/destinations/flowing/head/retry").assertProblem(409, "head-not-blocked");
        http.post("/admin/v1/destinations/flowing/head/skip").assertProblem(409, "head-not-blocked");

        UUID messageId = post("flowing-in");
        redis.opsForHash().put(keys.done(incarnation("flowing")), "1", Codec.encode(new TransformResult(1, messageId, true,
                "text/plain", new byte[] {1}, "", 1, 0)));
        JsonNode retry = http.post("/admin/v1/destinations/flowing/head/retry").assertProblem(409, "head-not-blocked");
        assertThat(retry.path("state").asString()).isEqualTo("DONE");
        http.post("/admin/v1/destinations/flowing/head/skip").assertProblem(409, "head-not-blocked");

        cursor("flowing", 1);
        http.post("/admin/v1/destinations/flowing/head/skip").assertProblem(409, "head-not-blocked");
        assertThat(commands("flowing")).isEmpty();
        assertThat(actions("flowing", "")).isEmpty();

        http.post("/admin/v1/destinations/ghost/head/retry").assertProblem(404, "not-found");
        http.post("/admin/v1/destinations/ghost/head/skip").assertProblem(404, "not-found");
    }

    @Test
    void aDeadLetterIsRedeliveredThroughEgressAndAMissingOneIs404() {
        http.channel("again-in", "again");
        deadLetter("again", 4, "DELIVERY", "HTTP 422", 3, "text/plain", new byte[] {4});

        http.post("/admin/v1/destinations/again/dead-letters/5/redeliver").assertProblem(404, "not-found");
        assertThat(redeliveries("again")).isEmpty();

        Response redelivered = http.send("POST", "/admin/v1/destinations/again/dead-letters/4/redeliver", null,
                Map.of("X-Reseq-Actor", "carol"));
        assertThat(redelivered.status()).as(redelivered.text()).isEqualTo(202);
        assertThat(redelivered.json().path("action").asString()).isEqualTo("REDELIVER");
        assertThat(redelivered.json().path("sequence").asLong()).isEqualTo(4);
        assertThat(redelivered.json().path("actor").asString()).isEqualTo("carol");
        assertThat(redeliveries("again")).containsExactly("REDELIVER:4");
        assertThat(commands("again")).isEmpty();
    }

    @Test
    void everyActionIsListedNewestFirstWithItsActor() {
        http.channel("audited-in", "audited");
        UUID messageId = post("audited-in");
        deadLetter("audited", 7, "TRANSFORM", "boom", 3, "text/plain", new byte[] {7});

        assertThat(http.send("POST", "/admin/v1/destinations/audited/pause", null, Map.of("X-Reseq-Actor", "alice"))
                .status()).isEqualTo(204);
        assertThat(http.post("/admin/v1/destinations/audited/resume").status()).isEqualTo(204);
        failedResult("audited", 1, messageId, "boom", 3);
        http.send("POST", "/admin/v1/destinations/audited/head/retry", null, Map.of("X-Reseq-Actor", " bob "));
        http.send("POST", "/admin/v1/destinations/audited/dead-letters/7/redeliver", null,
                Map.of("X-Reseq-Actor", "carol"));

        JsonNode listed = http.get("/admin/v1/destinations/audited/actions").json();
        List<String> actions = new ArrayList<>();
        List<String> actors = new ArrayList<>();
        List<Long> ids = new ArrayList<>();
        listed.forEach(action -> {
            actions.add(action.path("action").asString());
            actors.add(action.path("actor").isNull() ? null : action.path("actor").asString());
            ids.add(action.path("id").asLong());
        });
        assertThat(actions).containsExactly("REDELIVER", "RETRY", "RESUME", "PAUSE");
        assertThat(actors).containsExactly("carol", "bob", null, "alice");
        assertThat(ids).isSortedAccordingTo((a, b) -> Long.compare(b, a));
        JsonNode pause = listed.get(3);
        assertThat(pause.path("sequence").isNull()).isTrue();
        assertThat(pause.path("detail").isNull()).isTrue();
        assertThat(Instant.parse(pause.path("at").asString())).isNotNull();
        assertThat(listed.get(1).path("sequence").asLong()).isEqualTo(1);

        assertThat(actions("audited", "?limit=2")).containsExactly("REDELIVER", "RETRY");
        Response invalid = http.get("/admin/v1/destinations/audited/actions?limit=1001");
        invalid.assertProblem(400, "invalid-request");
        assertThat(invalid.errorFields()).containsExactly("limit");
        http.get("/admin/v1/destinations/ghost/actions").assertProblem(404, "not-found");
        http.post("/admin/v1/destinations/ghost/pause").assertProblem(404, "not-found");
        assertThat(jdbc.sql("select count(*) from operator_action where destination = 'ghost'").query(Long.class)
                .single()).isZero();
    }

    @Test
    void anOverlongActorIs400AndRecordsNothing() {
        http.channel("long-in", "long");
        Response response = http.send("POST", "/admin/v1/destinations/long/pause", null,
                Map.of("X-Reseq-Actor", "x".repeat(201)));
        response.assertProblem(400, "invalid-request");
        assertThat(response.errorFields()).containsExactly("X-Reseq-Actor");
        assertThat(actions("long", "")).isEmpty();
        assertThat(http.get("/admin/v1/destinations/long").json().path("status").path("paused").asBoolean())
                .isFalse();
    }

    private UUID deadLetter(String destination, long sequence, String stage, String error, int attempts,
            String contentType, byte[] payload) {
        UUID messageId = UUID.randomUUID();
        jdbc.sql("""
                        insert into dead_letter (destination, sequence, message_id, stage, error, attempts,
                                                 content_type, payload)
                        values (:d, :s, :m, :stage, :error, :attempts, :type, :payload)""")
                .param("d", destination).param("s", sequence).param("m", messageId).param("stage", stage)
                .param("error", error).param("attempts", attempts).param("type", contentType)
                .param("payload", payload).update();
        return messageId;
    }

    private void failedResult(String destination, long sequence, UUID messageId, String error, int attempts) {
        redis.opsForHash().put(keys.done(incarnation(destination)), Long.toString(sequence), Codec.encode(new TransformResult(
                sequence, messageId, false, "text/plain", new byte[0], error, attempts, 0)));
    }

    private UUID post(String channel) {
        Response posted = http.postMessage(channel, "text/plain", new byte[] {1}, Map.of());
        assertThat(posted.status()).as(posted.text()).isEqualTo(202);
        return UUID.fromString(posted.json().path("messageId").asString());
    }

    private void cursor(String destination, long released) {
        jdbc.sql("update destination_cursor set position = :p where destination = :d and role = 'RESEQUENCER'")
                .param("p", released).param("d", destination).update();
    }

    private List<String> commands(String destination) {
        return strings.opsForList().range(keys.commands(incarnation(destination)), 0, -1);
    }

    private List<String> redeliveries(String destination) {
        return strings.opsForList().range(keys.redeliveries(incarnation(destination)), 0, -1);
    }

    private List<String> actions(String destination, String query) {
        List<String> actions = new ArrayList<>();
        http.get("/admin/v1/destinations/" + destination + "/actions" + query).json()
                .forEach(action -> actions.add(action.path("action").asString()));
        return actions;
    }

    private static List<Long> sequences(JsonNode letters) {
        List<Long> sequences = new ArrayList<>();
        letters.forEach(letter -> sequences.add(letter.path("sequence").asLong()));
        return sequences;
    }

    /** The destination's current incarnation: its row's id names its Redis keys. */
    private Incarnation incarnation(String destination) {
        return new Incarnation(destination, jdbc.sql("select id from destination where name = :name")
                .param("name", destination).query(Integer.class).single());
    }
}
