package org.reseq.ingress.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reseq.infra.TestInfrastructure;
import org.reseq.ingress.support.HttpTester;
import org.reseq.ingress.support.HttpTester.Response;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Batch ingest: a request's items are stored whole, in array order, with consecutive sequences,
 * and answered with one receipt each; a bad item, a reused key or a full backlog stores nothing.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "reseq.ingest.max-payload-size=1KB",
        "reseq.ingest.max-batch-items=50",
        "reseq.ingest.max-batch-size=32KB"})
class BatchIngestIntegrationTests {

    private static final TestInfrastructure INFRA = TestInfrastructure.fresh("batch-ingest");

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
    void itemsAreStoredInArrayOrderAndAnsweredWithOneReceiptEach() {
        http.channel("batch-orders", "batch-a", "batch-b");
        String binary = Base64.getEncoder().encodeToString(new byte[] {0, 1, 2, (byte) 255});

        Response response = batch("batch-orders", "application/json", """
                [ {"body": {"id": 1, "item": "tea"}},
                  {"bodyBase64": "%s", "contentType": "application/octet-stream", "idempotencyKey": "k-2"},
                  {"body": "third"} ]""".formatted(binary));

        assertThat(response.status()).as(response.text()).isEqualTo(202);
        JsonNode receipts = response.json().path("receipts");
        assertThat(receipts).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(receipts.get(i).path("channel").asString()).isEqualTo("batch-orders");
            assertThat(receipts.get(i).path("deliveries").toString()).isEqualTo(
                    "[{\"destination\":\"batch-a\",\"sequence\":%d},{\"destination\":\"batch-b\",\"sequence\":%d}]"
                            .formatted(i + 1, i + 1));
        }
        List<Map<String, Object>> stored = jdbc.sql("""
                        select m.content_type, m.payload from delivery d join message m on m.id = d.message_id
                         where d.destination = 'batch-a' order by d.sequence""").query().listOfRows();
        assertThat(stored).extracting(row -> row.get("content_type"))
                .containsExactly("application/json", "application/octet-stream", "application/json");
        assertThat(new String((byte[]) stored.get(0).get("payload"), StandardCharsets.UTF_8))
                .isEqualTo("{\"id\":1,\"item\":\"tea\"}");
        assertThat((byte[]) stored.get(1).get("payload")).containsExactly(0, 1, 2, 255);
        assertThat(new String((byte[]) stored.get(2).get("payload"), StandardCharsets.UTF_8)).isEqualTo("\"third\"");
    }

    @Test
    void ndjsonIsOneItemALineAndARepeatedKeyIsAnsweredWithItsFirstReceipt() {
        http.channel("batch-lines", "batch-lines-out");

        Response first = batch("batch-lines", "application/x-ndjson", """
                {"body": 1, "idempotencyKey": "line-1"}

                {"body": 2, "idempotencyKey": "line-2"}
                """);
        Response again = batch("batch-lines", "application/x-ndjson", """
                {"body": 2, "idempotencyKey": "line-2"}
                {"body": 3, "idempotencyKey": "line-3"}
                """);

        assertThat(first.status()).as(first.text()).isEqualTo(202);
        assertThat(again.status()).as(again.text()).isEqualTo(202);
        assertThat(again.json().path("receipts").get(0)).isEqualTo(first.json().path("receipts").get(1));
        assertThat(again.json().path("receipts").get(1).path("deliveries").get(0).path("sequence").asLong())
                .isEqualTo(3);
        assertThat(count("batch-lines-out")).isEqualTo(3);
    }

    @Test
    void aBadItemIsNamedByItsIndexAndNothingIsStored() {
        http.channel("batch-bad", "batch-bad-out");

        Response response = batch("batch-bad", "application/json", """
                [ {"body": 1},
                  {"bodyBase64": "not base64!"},
                  {"body": 3, "extra": true},
                  {"body": "%s"},
                  {"idempotencyKey": "no-body"} ]""".formatted("x".repeat(2000)));

        response.assertProblem(400, "invalid-request");
        assertThat(response.errorFields())
                .containsExactly("[1].bodyBase64", "[2].extra", "[3].body", "[4]");
        assertThat(count("batch-bad-out")).isZero();
        batch("batch-bad", "application/json", "[]").assertProblem(400, "invalid-request");
        batch("batch-bad", "application/json", "{\"body\": 1}").assertProblem(400, "invalid-request");
        batch("batch-bad", "text/plain", "[{\"body\": 1}]").assertProblem(415, "unsupported-media-type");
        assertThat(count("batch-bad-out")).isZero();
    }

    @Test
    void limitsOnItemsAndBytesRefuseTheWholeBatch() {
        http.channel("batch-big", "batch-big-out");
        StringBuilder many = new StringBuilder("[");
        for (int i = 0; i < 51; i++) {
            many.append(i == 0 ? "" : ",").append("{\"body\":").append(i).append('}');
        }
        StringBuilder large = new StringBuilder("[");
        for (int i = 0; i < 40; i++) {
            large.append(i == 0 ? "" : ",").append("{\"body\":\"").append("y".repeat(1000)).append("\"}");
        }

        batch("batch-big", "application/json", many.append(']').toString()).assertProblem(400, "invalid-request");
        batch("batch-big", "application/json", large.append(']').toString()).assertProblem(413, "payload-too-large");
        batch("batch-nowhere", "application/json", "[{\"body\": 1}]").assertProblem(404, "not-found");
        assertThat(count("batch-big-out")).isZero();
    }

    @Test
    void aKeyThatNamesAnotherMessageRefusesTheWholeBatch() {
        http.channel("batch-keys", "batch-keys-out");
        assertThat(batch("batch-keys", "application/json", "[{\"body\": \"a\", \"idempotencyKey\": \"taken\"}]")
                .status()).isEqualTo(202);

        Response reused = batch("batch-keys", "application/json", """
                [ {"body": "new"}, {"body": "b", "idempotencyKey": "taken"}, {"body": "also new"} ]""");

        JsonNode problem = reused.assertProblem(422, "idempotency-key-reused");
        assertThat(problem.path("errors").get(0).path("field").asString()).isEqualTo("[1].idempotencyKey");
        assertThat(count("batch-keys-out")).isEqualTo(1);
        // The refused batch left no sequence behind: the next message is the second.
        Response next = batch("batch-keys", "application/json", "[{\"body\": \"c\"}]");
        assertThat(next.json().path("receipts").get(0).path("deliveries").get(0).path("sequence").asLong())
                .isEqualTo(2);
    }

    @Test
    void concurrentBatchesAndSingleMessagesGetDenseSequencesWithEachBatchConsecutive() throws Exception {
        http.channel("batch-busy", "batch-busy-out");
        List<Callable<Response>> senders = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            int sender = i;
            senders.add(() -> batch("batch-busy", "application/json",
                    "[{\"body\":\"%d-a\"},{\"body\":\"%d-b\"},{\"body\":\"%d-c\"}]".formatted(sender, sender, sender)));
            senders.add(() -> http.postMessage("batch-busy", "text/plain",
                    ("single " + sender).getBytes(StandardCharsets.UTF_8), Map.of()));
        }
        List<Response> responses = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Future<Response> response : threads.invokeAll(senders)) {
                responses.add(response.get());
            }
        }

        assertThat(responses).allSatisfy(response -> assertThat(response.status()).as(response.text()).isEqualTo(202));
        List<Long> sequences = jdbc.sql("select sequence from delivery where destination = 'batch-busy-out' order by 1")
                .query(Long.class).list();
        assertThat(sequences).containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 80).boxed().toList());
        for (Response response : responses) {
            JsonNode receipts = response.json().path("receipts");
            for (int i = 1; i < receipts.size(); i++) {
                assertThat(receipts.get(i).path("deliveries").get(0).path("sequence").asLong())
                        .isEqualTo(receipts.get(i - 1).path("deliveries").get(0).path("sequence").asLong() + 1);
            }
        }
    }

    private Response batch(String channel, String contentType, String body) {
        return http.send("POST", "/api/v1/channels/" + channel + "/messages/batch",
                body.getBytes(StandardCharsets.UTF_8), Map.of("Content-Type", contentType));
    }

    private long count(String destination) {
        return jdbc.sql("select count(*) from delivery where destination = :destination")
                .param("destination", destination).query(Long.class).single();
    }
}
