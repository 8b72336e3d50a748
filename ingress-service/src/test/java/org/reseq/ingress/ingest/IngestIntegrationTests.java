package org.reseq.ingress.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reseq.infra.Infrastructure;
import org.reseq.ingress.commit.CommitPipeline;
import org.reseq.ingress.commit.GroupCommitter;
import org.reseq.ingress.support.HttpTester;
import org.reseq.ingress.support.HttpTester.Response;
import org.reseq.infra.TestInfrastructure;
import org.reseq.model.redis.RedisKeys;
import org.reseq.model.redis.Signal;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "reseq.ingest.max-payload-size=64KB",
        "spring.datasource.hikari.connection-timeout=500",
        "spring.datasource.hikari.validation-timeout=250"})
class IngestIntegrationTests {

    private static final TestInfrastructure INFRA = TestInfrastructure.fresh("ingest");
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final int LIMIT = 64 * 1024;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        INFRA.register(registry);
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DataSource dataSource;

    @Autowired
    CommitPipeline pipeline;

    private HttpTester http;

    @BeforeEach
    void client() {
        http = new HttpTester(port);
    }

    @Test
    void acceptsAMessageAfterStoringItWithOneDeliveryPerDestination() {
        http.channel("orders", "billing", "audit");

        Response response = http.postMessage("orders", "text/plain; charset=utf-8",
                "hello".getBytes(StandardCharsets.UTF_8), Map.of());

        assertThat(response.status()).as(response.text()).isEqualTo(202);
        assertThat(response.header("Idempotent-Replayed")).isNull();
        // Sized, not chunked: the answer goes out in one write.
        assertThat(response.header("Content-Type")).isEqualTo("application/json");
        assertThat(response.header("Content-Length")).isEqualTo(Integer.toString(response.text().length()));
        JsonNode body = response.json();
        UUID id = UUID.fromString(body.path("messageId").asString());
        assertThat(id.version()).isEqualTo(7);
        assertThat(body.path("channel").asString()).isEqualTo("orders");
        assertThat(body.path("deliveries").toString())
                .isEqualTo("[{\"destination\":\"billing\",\"sequence\":1},{\"destination\":\"audit\",\"sequence\":1}]");

        Map<String, Object> message = jdbc.sql("""
                        select channel, content_type, payload, arrived_at is not null as arrived,
                               exists (select 1 from idempotency_key k where k.message_id = m.id) as keyed
                          from message m where id = :id""")
                .param("id", id).query().singleRow();
        assertThat(message).containsEntry("channel", "orders")
                .containsEntry("content_type", "text/plain; charset=utf-8")
                .containsEntry("arrived", true)
                .containsEntry("keyed", false);
        assertThat((byte[]) message.get("payload")).isEqualTo("hello".getBytes(StandardCharsets.UTF_8));
        assertThat(jdbc.sql("select destination, sequence from delivery where message_id = :id order by destination")
                .param("id", id).query().listOfRows())
                .containsExactly(Map.of("destination", "audit", "sequence", 1L),
                        Map.of("destination", "billing", "sequence", 1L));
        assertThat(lastSequence("billing")).isEqualTo(1);
        assertThat(lastSequence("audit")).isEqualTo(1);
    }

    @Test
    void keepsAnyBytesAndDefaultsTheContentTypeToOctetStream() {
        http.channel("raw", "raw-sink");
        byte[] payload = {0, (byte) 0xff, 10, 13, 0};

        Response response = http.postMessage("raw", null, payload, Map.of());

        assertThat(response.status()).as(response.text()).isEqualTo(202);
        UUID id = UUID.fromString(response.json().path("messageId").asString());
        Map<String, Object> message = jdbc.sql("select content_type, payload from message where id = :id")
                .param("id", id).query().singleRow();
        assertThat(message).containsEntry("content_type", "application/octet-stream");
        assertThat((byte[]) message.get("payload")).isEqualTo(payload);
    }

    @Test
    void concurrentPostsGetDenseSequencesInOneOrderForEveryDestination() throws Exception {
        http.channel("busy", "busy-a", "busy-b");
        int posts = 100;
        List<Callable<Response>> senders = new ArrayList<>();
        for (int i = 0; i < posts; i++) {
            byte[] body = ("message " + i).getBytes(StandardCharsets.UTF_8);
            senders.add(() -> http.postMessage("busy", "text/plain", body, Map.of()));
        }
        List<Response> responses = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Future<Response> response : threads.invokeAll(senders)) {
                responses.add(response.get());
            }
        }

        assertThat(responses).allSatisfy(response -> assertThat(response.status()).isEqualTo(202));
        List<Long> dense = new ArrayList<>();
        for (long sequence = 1; sequence <= posts; sequence++) {
            dense.add(sequence);
        }
        assertThat(sequences("busy-a")).containsExactlyElementsOf(dense);
        assertThat(sequences("busy-b")).containsExactlyElementsOf(dense);
        assertThat(lastSequence("busy-a")).isEqualTo(posts);
        assertThat(lastSequence("busy-b")).isEqualTo(posts);
        // Both destinations see the messages in the same (commit) order.
        assertThat(messagesInOrder("busy-a")).containsExactlyElementsOf(messagesInOrder("busy-b"));
        // Each 202 told the truth about the committed sequences.
        for (Response response : responses) {
            JsonNode body = response.json();
            UUID id = UUID.fromString(body.path("messageId").asString());
            for (JsonNode delivery : body.path("deliveries")) {
                assertThat(jdbc.sql("select message_id from delivery where destination = :d and sequence = :s")
                        .param("d", delivery.path("destination").asString())
                        .param("s", delivery.path("sequence").asLong())
                        .query(UUID.class).single()).isEqualTo(id);
            }
        }
    }

    @Test
    void anUnknownChannelIs404AndStoresNothing() {
        Response response = http.postMessage("nowhere", "text/plain", new byte[] {1}, Map.of());
        response.assertProblem(404, "not-found");

        http.postMessage("Not_A_Valid_Name", "text/plain", new byte[] {1}, Map.of()).assertProblem(404, "not-found");
        assertThat(jdbc.sql("select count(*) from message where channel = 'nowhere'").query(Long.class).single())
                .isZero();
    }

    @Test
    void aPayloadOverTheLimitIs413AndOneAtTheLimitIsAccepted() {
        http.channel("sized", "sized-sink");

        http.postMessage("sized", "application/octet-stream", new byte[LIMIT + 1], Map.of())
                .assertProblem(413, "payload-too-large");
        Response atLimit = http.postMessage("sized", "application/octet-stream", new byte[LIMIT], Map.of());

        assertThat(atLimit.status()).as(atLimit.text()).isEqualTo(202);
        assertThat(jdbc.sql("select count(*) from message where channel = 'sized'").query(Long.class).single())
                .isEqualTo(1);
    }

    @Test
    void aChunkedPayloadOverTheLimitIs413() {
        http.channel("chunked", "chunked-sink");
        // Without a Content-Length the limit is found while reading.
        HttpRequest request = http.request("/api/v1/channels/chunked/messages")
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(new byte[LIMIT + 100])))
                .build();

        http.send(request).assertProblem(413, "payload-too-large");
        assertThat(jdbc.sql("select count(*) from message where channel = 'chunked'").query(Long.class).single())
                .isZero();
    }

    @Test
    void anIdempotencyKeyOver200CharactersIs400() {
        http.channel("keyed", "keyed-sink");

        Response response = http.postMessage("keyed", "text/plain", new byte[] {1},
                Map.of("Idempotency-Key", "k".repeat(201)));

        response.assertProblem(400, "invalid-request");
        assertThat(response.errorFields()).containsExactly("Idempotency-Key");
        assertThat(http.postMessage("keyed", "text/plain", new byte[] {1}, Map.of("Idempotency-Key", "k".repeat(200)))
                .status()).isEqualTo(202);
    }

    @Test
    void aRepeatedIdempotencyKeyReturnsTheOriginalResponseAndCreatesNothing() {
        http.channel("retry", "retry-a", "retry-b");
        Response original = http.postMessage("retry", "text/plain", "first".getBytes(StandardCharsets.UTF_8),
                Map.of("Idempotency-Key", "order-17"));
        assertThat(original.status()).isEqualTo(202);

        Response repeat = http.postMessage("retry", "text/plain", "first".getBytes(StandardCharsets.UTF_8),
                Map.of("Idempotency-Key", "order-17"));

        assertThat(repeat.status()).isEqualTo(202);
        assertThat(repeat.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(repeat.text()).isEqualTo(original.text());
        assertThat(jdbc.sql("select count(*) from message where channel = 'retry'").query(Long.class).single())
                .isEqualTo(1);
        assertThat(lastSequence("retry-a")).isEqualTo(1);

        // The same key on another channel is another message.
        http.channel("retry-other", "retry-a");
        Response elsewhere = http.postMessage("retry-other", "text/plain", new byte[] {1},
                Map.of("Idempotency-Key", "order-17"));
        assertThat(elsewhere.header("Idempotent-Replayed")).isNull();
        assertThat(elsewhere.json().path("messageId")).isNotEqualTo(original.json().path("messageId"));
    }

    @Test
    void aKeptKeyWithAnotherPayloadOrContentTypeIs422AndStoresNothing() {
        http.channel("reused", "reused-sink");
        byte[] payload = "first".getBytes(StandardCharsets.UTF_8);
        Response original = http.postMessage("reused", "text/plain", payload, Map.of("Idempotency-Key", "order-9"));
        assertThat(original.status()).as(original.text()).isEqualTo(202);

        Response otherPayload = http.postMessage("reused", "text/plain", "second".getBytes(StandardCharsets.UTF_8),
                Map.of("Idempotency-Key", "order-9"));
        Response otherType = http.postMessage("reused", "application/json", payload,
                Map.of("Idempotency-Key", "order-9"));
        Response repeat = http.postMessage("reused", "text/plain", payload, Map.of("Idempotency-Key", "order-9"));

        for (Response refused : List.of(otherPayload, otherType)) {
            JsonNode problem = refused.assertProblem(422, "idempotency-key-reused");
            assertThat(problem.path("title").asString()).isEqualTo("Idempotency key reused");
            assertThat(problem.path("detail").asString()).contains("Idempotency-Key", "order-9", "different payload");
            assertThat(refused.errorFields()).containsExactly("Idempotency-Key");
            assertThat(refused.header("Idempotent-Replayed")).isNull();
        }
        assertThat(repeat.status()).isEqualTo(202);
        assertThat(repeat.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(repeat.text()).isEqualTo(original.text());
        assertThat(jdbc.sql("select convert_from(payload, 'UTF8') from message where channel = 'reused'")
                .query(String.class).list()).containsExactly("first");
        assertThat(sequences("reused-sink")).containsExactly(1L);
    }

    @Test
    void oneKeyWithTwoPayloadsInOneGroupCommitStoresTheFirstAndRefusesTheOther() throws Exception {
        http.channel("grouped", "grouped-sink");
        Map<String, String> key = Map.of("Idempotency-Key", "grouped-key");
        List<Response> responses = new ArrayList<>();
        List<String> sent = List.of("alpha", "alpha", "beta");
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
             Connection lock = dataSource.getConnection()) {
            // Hold the committer in a commit of its own, so that the keyed posts queue up behind it
            // and are all drained into the next batch together.
            lock.setAutoCommit(false);
            try (Statement select = lock.createStatement()) {
                select.execute("select 1 from destination_sequence where destination = 'grouped-sink' for update");
            }
            Future<Response> blocker = threads.submit(() ->
                    http.postMessage("grouped", "text/plain", new byte[] {0}, Map.of()));
            await().atMost(DEADLINE).until(() -> committerWaitsForALock() && groupCommitter().waiting() == 0);
            List<Future<Response>> keyed = new ArrayList<>();
            for (String payload : sent) {
                keyed.add(threads.submit(() -> http.postMessage("grouped", "text/plain",
                        payload.getBytes(StandardCharsets.UTF_8), key)));
            }
            await().atMost(DEADLINE).until(() -> groupCommitter().waiting() == sent.size());
            lock.rollback();

            assertThat(blocker.get().status()).isEqualTo(202);
            for (Future<Response> response : keyed) {
                responses.add(response.get());
            }
        }

        String stored = jdbc.sql("""
                        select convert_from(m.payload, 'UTF8') from message m
                          join idempotency_key k on k.message_id = m.id
                         where k.channel = 'grouped' and k.key = 'grouped-key'""")
                .query(String.class).single();
        List<Response> accepted = new ArrayList<>();
        for (int i = 0; i < sent.size(); i++) {
            Response response = responses.get(i);
            if (sent.get(i).equals(stored)) {
                assertThat(response.status()).as(response.text()).isEqualTo(202);
                accepted.add(response);
            } else {
                response.assertProblem(422, "idempotency-key-reused");
                assertThat(response.errorFields()).containsExactly("Idempotency-Key");
            }
        }
        // The holder's sender and its repeats got one answer; the refused message took no sequence.
        assertThat(accepted.stream().map(Response::text).distinct()).hasSize(1);
        assertThat(accepted.stream().filter(response -> response.header("Idempotent-Replayed") == null)).hasSize(1);
        assertThat(accepted.getFirst().json().path("deliveries").get(0).path("sequence").asLong()).isEqualTo(2);
        assertThat(sequences("grouped-sink")).containsExactly(1L, 2L);
        assertThat(jdbc.sql("select count(*) from message where channel = 'grouped'").query(Long.class).single())
                .isEqualTo(2);
    }

    @Test
    void twentyConcurrentRequestsWithOneIdempotencyKeyAndOnePayloadCreateExactlyOneMessage() throws Exception {
        http.channel("race", "race-a", "race-b");
        List<Callable<Response>> senders = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            byte[] body = "the same attempt".getBytes(StandardCharsets.UTF_8);
            senders.add(() -> http.postMessage("race", "text/plain", body, Map.of("Idempotency-Key", "same-key")));
        }
        List<Response> responses = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Future<Response> response : threads.invokeAll(senders)) {
                responses.add(response.get());
            }
        }

        assertThat(responses).allSatisfy(response -> assertThat(response.status()).isEqualTo(202));
        assertThat(new HashSet<>(responses.stream().map(Response::text).toList())).hasSize(1);
        assertThat(responses.stream().filter(r -> "true".equals(r.header("Idempotent-Replayed")))).hasSize(19);
        assertThat(jdbc.sql("select count(*) from message where channel = 'race'")
                .query(Long.class).single()).isEqualTo(1);
        assertThat(jdbc.sql("select count(*) from delivery where destination in ('race-a', 'race-b')")
                .query(Long.class).single()).isEqualTo(2);
        assertThat(lastSequence("race-a")).isEqualTo(1);
        assertThat(lastSequence("race-b")).isEqualTo(1);
    }

    @Test
    void publishesAnIngestedSignalAfterTheCommit() {
        http.channel("signalled", "signalled-sink");
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        RedisClient client = RedisClient.create(Infrastructure.redis().url());
        try (StatefulRedisPubSubConnection<String, String> connection = client.connectPubSub()) {
            connection.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    received.add(message);
                }
            });
            connection.sync().subscribe(new RedisKeys(INFRA.redisPrefix()).ingestedChannel());

            http.postMessage("signalled", "text/plain", new byte[] {1}, Map.of());
            http.postMessage("signalled", "text/plain", new byte[] {2}, Map.of());

            await().atMost(DEADLINE).until(() -> received.stream().map(Signal::decode)
                    .anyMatch(signal -> signal.equals(Signal.ingested("signalled-sink", 2))));
        } finally {
            client.shutdown();
        }
    }

    @Test
    void answers503WhilePostgresRefusesAndAcceptsAgainAfterwards() throws Exception {
        http.channel("fragile", "fragile-sink");
        try {
            INFRA.refuseConnections();

            http.postMessage("fragile", "text/plain", "lost?".getBytes(StandardCharsets.UTF_8), Map.of())
                    .assertProblem(503, "store-unavailable");
            http.postMessage("fragile", "text/plain", new byte[] {1}, Map.of("Idempotency-Key", "while-down"))
                    .assertProblem(503, "store-unavailable");
        } finally {
            INFRA.allowConnections();
        }

        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(200)).until(() ->
                http.postMessage("fragile", "text/plain", "back".getBytes(StandardCharsets.UTF_8), Map.of())
                        .status() == 202);
        // Nothing of the refused requests was stored.
        assertThat(jdbc.sql("select convert_from(payload, 'UTF8') from message where channel = 'fragile'")
                .query(String.class).list()).containsOnly("back");
        assertThat(sequences("fragile-sink")).first().isEqualTo(1L);
    }

    @Test
    void withCachedBacklogsAnOverfullDestinationIsRefusedWithinARefreshAndReleasedAfterDelivery() {
        Response created = http.putJson("/admin/v1/destinations/slow-sink",
                "{\"type\":\"HTTP\",\"url\":\"http://127.0.0.1:9/slow\",\"maxBacklog\":1}");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        assertThat(http.putJson("/admin/v1/channels/slow", "{\"destinations\":[\"slow-sink\"]}").status())
                .isEqualTo(201);

        // The default refresh (200 ms) may let a few more in before the gate sees the backlog.
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(50)).until(() ->
                http.postMessage("slow", "text/plain", new byte[] {1}, Map.of()).status() == 429);
        long stored = lastSequence("slow-sink");
        assertThat(stored).isGreaterThan(1);

        jdbc.sql("update destination_cursor set position = :p where destination = 'slow-sink' and role = 'EGRESS'")
                .param("p", stored).update();

        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(50)).until(() ->
                http.postMessage("slow", "text/plain", new byte[] {2}, Map.of()).status() == 202);
    }

    private GroupCommitter groupCommitter() {
        return (GroupCommitter) pipeline;
    }

    /** Whether a session of this test's database waits for a row lock: the committer, held back. */
    private boolean committerWaitsForALock() {
        return jdbc.sql("""
                        select count(*) from pg_stat_activity
                         where datname = current_database() and wait_event_type = 'Lock'""")
                .query(Long.class).single() > 0;
    }

    private long lastSequence(String destination) {
        return jdbc.sql("select last_sequence from destination_sequence where destination = :d")
                .param("d", destination).query(Long.class).single();
    }

    private List<Long> sequences(String destination) {
        return jdbc.sql("select sequence from delivery where destination = :d order by sequence")
                .param("d", destination).query(Long.class).list();
    }

    private List<UUID> messagesInOrder(String destination) {
        return jdbc.sql("select message_id from delivery where destination = :d order by sequence")
                .param("d", destination).query(UUID.class).list();
    }
}
