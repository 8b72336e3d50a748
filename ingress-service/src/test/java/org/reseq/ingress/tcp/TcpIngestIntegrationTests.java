package org.reseq.ingress.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reseq.ingress.support.HttpTester;
import org.reseq.ingress.support.HttpTester.Response;
import org.reseq.infra.TestInfrastructure;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "reseq.ingest.max-payload-size=1KB",
        "reseq.ingest.tcp.listeners[0].channel=lines",
        "reseq.ingest.tcp.listeners[0].port=0",
        "reseq.ingest.tcp.listeners[0].framing=LINE",
        "reseq.ingest.tcp.listeners[1].channel=blobs",
        "reseq.ingest.tcp.listeners[1].port=0",
        "reseq.ingest.tcp.listeners[1].framing=LENGTH_PREFIXED",
        "reseq.ingest.tcp.listeners[2].channel=nowhere",
        "reseq.ingest.tcp.listeners[2].port=0",
        "reseq.ingest.tcp.listeners[3].channel=capped-lines",
        "reseq.ingest.tcp.listeners[3].port=0",
        "reseq.ingest.backpressure.refresh=0ms",
        "spring.datasource.hikari.maximum-pool-size=4"})
// The PostgreSQL server is shared: give its connections (and the listeners' ports) back after the class.
@DirtiesContext
class TcpIngestIntegrationTests {

    private static final TestInfrastructure INFRA = TestInfrastructure.fresh("tcp-ingest");
    private static final int LIMIT = 1024;
    private static final int TIMEOUT_MS = 30_000;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        INFRA.register(registry);
    }

    @LocalServerPort
    int httpPort;

    @Autowired
    TcpIngestServer server;

    @Autowired
    JdbcClient jdbc;

    private HttpTester http;

    @BeforeEach
    void client() {
        http = new HttpTester(httpPort);
    }

    @Test
    void pipelinedLinesAreAnsweredInOrderAndGetDenseSequencesInInputOrder() throws Exception {
        http.channel("lines", "lines-sink");
        // Other tests use the same listener: count from where they left off.
        long before = lastSequence("lines-sink");
        int count = 500;
        StringBuilder input = new StringBuilder();
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String line = "line " + i + " \u00e9";
            sent.add(line);
            input.append(line).append(i % 2 == 0 ? "\n" : "\r\n");
        }

        List<String> replies = exchange(port(0), input.toString().getBytes(StandardCharsets.UTF_8), count);

        List<UUID> ids = okIds(replies);
        assertThat(ids).hasSize(count);
        List<Map<String, Object>> stored = stored("lines-sink", before);
        assertThat(stored).extracting(row -> row.get("sequence")).containsExactlyElementsOf(dense(before, count));
        assertThat(stored).extracting(row -> row.get("id")).containsExactlyElementsOf(ids);
        assertThat(stored).extracting(row -> new String((byte[]) row.get("payload"), StandardCharsets.UTF_8))
                .containsExactlyElementsOf(sent);
        assertThat(stored).extracting(row -> row.get("content_type")).containsOnly("text/plain; charset=utf-8");
    }

    @Test
    void pipelinedLengthPrefixedFramesKeepTheirBytesAndInputOrder() throws Exception {
        http.channel("blobs", "blobs-sink");
        // Other tests use the same listener: count from where they left off.
        long before = lastSequence("blobs-sink");
        int count = 500;
        ByteArrayOutputStream input = new ByteArrayOutputStream();
        List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] payload = new byte[i % 7 == 0 ? 0 : 1 + i % 300];
            for (int b = 0; b < payload.length; b++) {
                payload[b] = (byte) (i * 31 + b);
            }
            if (payload.length > 0) {
                payload[0] = '\n';
            }
            sent.add(payload);
            frame(input, payload);
        }

        List<String> replies = exchange(port(1), input.toByteArray(), count);

        List<UUID> ids = okIds(replies);
        assertThat(ids).hasSize(count);
        List<Map<String, Object>> stored = stored("blobs-sink", before);
        assertThat(stored).extracting(row -> row.get("sequence")).containsExactlyElementsOf(dense(before, count));
        assertThat(stored).extracting(row -> row.get("id")).containsExactlyElementsOf(ids);
        for (int i = 0; i < count; i++) {
            assertThat((byte[]) stored.get(i).get("payload")).as("payload %d", i).isEqualTo(sent.get(i));
        }
        assertThat(stored).extracting(row -> row.get("content_type")).containsOnly("application/octet-stream");
    }

    @Test
    void anOversizeLineGets413AndTheConnectionGoesOn() throws Exception {
        http.channel("lines", "lines-sink");
        long before = messages("lines");
        String input = "first\n" + "x".repeat(LIMIT + 1) + "\n" + "y".repeat(LIMIT) + "\nlast\n";

        List<String> replies = exchange(port(0), input.getBytes(StandardCharsets.UTF_8), 4);

        assertThat(replies.get(0)).startsWith("OK ");
        assertThat(replies.get(1)).startsWith("ERR 413 ");
        assertThat(replies.get(2)).startsWith("OK ");
        assertThat(replies.get(3)).startsWith("OK ");
        assertThat(messages("lines")).isEqualTo(before + 3);
    }

    @Test
    void anOversizeLengthPrefixedFrameIsSkippedWith413AndTheConnectionGoesOn() throws Exception {
        http.channel("blobs", "blobs-sink");
        long before = messages("blobs");
        ByteArrayOutputStream input = new ByteArrayOutputStream();
        frame(input, new byte[] {1});
        frame(input, new byte[LIMIT * 5]);
        frame(input, new byte[LIMIT]);
        frame(input, new byte[] {2});

        List<String> replies = exchange(port(1), input.toByteArray(), 4);

        assertThat(replies.get(0)).startsWith("OK ");
        assertThat(replies.get(1)).startsWith("ERR 413 ");
        assertThat(replies.get(2)).startsWith("OK ");
        assertThat(replies.get(3)).startsWith("OK ");
        assertThat(messages("blobs")).isEqualTo(before + 3);
    }

    @Test
    void aListenerForAnUnknownChannelAnswers404AndClosesOnceASenderThatStoppedSendingIsAnswered() throws Exception {
        List<String> replies = new ArrayList<>();
        try (Socket socket = new Socket("127.0.0.1", port(2))) {
            socket.setSoTimeout(TIMEOUT_MS);
            socket.getOutputStream().write("a\nb\n".getBytes(StandardCharsets.UTF_8));
            socket.shutdownOutput();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                replies.add(line);
            }
        }

        assertThat(replies).hasSize(2).allSatisfy(reply -> assertThat(reply).startsWith("ERR 404 no channel named nowhere"));
        assertThat(messages("nowhere")).isZero();
    }

    @Test
    void aChannelOverItsBacklogLimitGets429AndTheListenerPausesThenTakesMessagesAgain() throws Exception {
        Response created = http.putJson("/admin/v1/destinations/capped",
                "{\"type\":\"HTTP\",\"url\":\"http://127.0.0.1:9/capped\",\"maxBacklog\":2}");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        assertThat(http.putJson("/admin/v1/channels/capped-lines", "{\"destinations\":[\"capped\"]}").status())
                .isEqualTo(201);
        try (Socket socket = new Socket("127.0.0.1", port(3))) {
            socket.setSoTimeout(TIMEOUT_MS);
            OutputStream out = socket.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            for (int i = 1; i <= 3; i++) {
                // Backlog 0, 1, 2 is not above 2.
                assertThat(send(out, in, "m" + i)).as("message %d", i).startsWith("OK ");
            }

            assertThat(send(out, in, "m4")).startsWith("ERR 429 destination capped has 3 undelivered messages");
            long refusedAt = System.nanoTime();
            // What egress does when it has delivered: moves its cursor.
            jdbc.sql("update destination_cursor set position = 3 where destination = 'capped' and role = 'EGRESS'")
                    .update();

            assertThat(send(out, in, "m5")).startsWith("OK ");
            // The listener stopped reading for the gate's retry interval (1s) after the refusal.
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - refusedAt)).isGreaterThanOrEqualTo(500);
        }
        assertThat(messages("capped-lines")).isEqualTo(4);
    }

    private static String send(OutputStream out, BufferedReader in, String line) throws IOException {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return in.readLine();
    }

    private int port(int listener) {
        return server.boundPorts().get(listener);
    }

    /** Writes everything at once (on its own thread, as a pipelining sender would), then reads the replies. */
    private static List<String> exchange(int port, byte[] input, int expectedReplies) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(TIMEOUT_MS);
            CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
                try {
                    OutputStream out = socket.getOutputStream();
                    out.write(input);
                    out.flush();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            List<String> replies = new ArrayList<>();
            for (int i = 0; i < expectedReplies; i++) {
                String line = in.readLine();
                assertThat(line).as("reply %d of %d", i + 1, expectedReplies).isNotNull();
                replies.add(line);
            }
            writing.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            return replies;
        }
    }

    private static void frame(ByteArrayOutputStream out, byte[] payload) throws IOException {
        DataOutputStream data = new DataOutputStream(out);
        data.writeInt(payload.length);
        data.write(payload);
        data.flush();
    }

    private static List<UUID> okIds(List<String> replies) {
        assertThat(replies).allSatisfy(reply -> assertThat(reply).startsWith("OK "));
        return replies.stream().map(reply -> UUID.fromString(reply.substring(3))).toList();
    }

    private static List<Long> dense(long after, int count) {
        List<Long> sequences = new ArrayList<>();
        for (long sequence = after + 1; sequence <= after + count; sequence++) {
            sequences.add(sequence);
        }
        return sequences;
    }

    private long lastSequence(String destination) {
        return jdbc.sql("select last_sequence from destination_sequence where destination = :d")
                .param("d", destination).query(Long.class).single();
    }

    private List<Map<String, Object>> stored(String destination, long after) {
        return jdbc.sql("""
                        select d.sequence, m.id, m.payload, m.content_type
                          from delivery d join message m on m.id = d.message_id
                         where d.destination = :d and d.sequence > :after order by d.sequence""")
                .param("d", destination).param("after", after).query().listOfRows();
    }

    private long messages(String channel) {
        return jdbc.sql("select count(*) from message where channel = :c").param("c", channel)
                .query(Long.class).single();
    }
}
