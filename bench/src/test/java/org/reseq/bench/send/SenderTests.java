package org.reseq.bench.send;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reseq.bench.sink.NettyTransport;
import org.reseq.bench.sink.TransformPayload;
import org.reseq.bench.workload.Workload;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The sender against a fake ingress that refuses, fails and closes connections now and then. */
class SenderTests {

    private HttpServer ingress;
    private final Map<String, Assignment> stored = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> attemptsByKey = new ConcurrentHashMap<>();
    private final Map<String, String> payloadByKey = new ConcurrentHashMap<>();
    private final AtomicLong nextSequence = new AtomicLong();
    private final AtomicInteger requests = new AtomicInteger();
    private final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @BeforeEach
    void startFakeIngress() throws IOException {
        ingress = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        ingress.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        ingress.createContext("/api/v1/channels/", this::ingest);
        ingress.start();
    }

    @AfterEach
    void stopFakeIngress() {
        ingress.stop(0);
    }

    /** Every 7th key is refused once with 429, every 11th once with 503; every 10th answer closes. */
    private void ingest(HttpExchange exchange) throws IOException {
        if (exchange.getRequestURI().getPath().endsWith("/batch")) {
            ingestBatch(exchange);
            return;
        }
        String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
        String payload = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.US_ASCII);
        int index = Integer.parseInt(key.substring(key.lastIndexOf('-') + 1));
        int attempt = attemptsByKey.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        payloadByKey.put(key, payload);
        if (requests.incrementAndGet() % 10 == 0) {
            exchange.getResponseHeaders().set("Connection", "close");
        }
        if (attempt == 1 && index % 7 == 3) {
            exchange.getResponseHeaders().set("Retry-After", "1");
            respond(exchange, 429, "{}");
            return;
        }
        if (attempt == 1 && index % 11 == 5) {
            respond(exchange, 503, "{}");
            return;
        }
        String channel = exchange.getRequestURI().getPath().split("/")[4];
        Assignment assignment = stored.computeIfAbsent(key,
                k -> new Assignment(channel + "-dest", nextSequence.incrementAndGet()));
        respond(exchange, 202, "{\"messageId\":\"m\",\"channel\":\"" + channel + "\",\"deliveries\":[{\"destination\":\""
                + assignment.destination() + "\",\"sequence\":" + assignment.sequence() + "}]}");
    }

    /** A batch: refused once with 503 when it holds message 3, else one receipt per item. */
    private void ingestBatch(HttpExchange exchange) throws IOException {
        JsonNode items = JSON.readTree(exchange.getRequestBody().readAllBytes());
        String channel = exchange.getRequestURI().getPath().split("/")[4];
        batchSizes.add(items.size());
        List<String> keys = new ArrayList<>();
        items.forEach(item -> keys.add(item.get("idempotencyKey").asString()));
        if (keys.contains("run3-3") && attemptsByKey.computeIfAbsent("run3-3", k -> new AtomicInteger())
                .incrementAndGet() == 1) {
            respond(exchange, 503, "{}");
            return;
        }
        StringBuilder receipts = new StringBuilder("{\"receipts\":[");
        for (int i = 0; i < items.size(); i++) {
            String key = keys.get(i);
            payloadByKey.put(key, new String(Base64.getDecoder().decode(items.get(i).get("bodyBase64").asString()),
                    StandardCharsets.US_ASCII));
            Assignment assignment = stored.computeIfAbsent(key,
                    k -> new Assignment(channel + "-dest", nextSequence.incrementAndGet()));
            receipts.append(i == 0 ? "" : ",").append("{\"messageId\":\"m\",\"deliveries\":[{\"destination\":\"")
                    .append(assignment.destination()).append("\",\"sequence\":").append(assignment.sequence())
                    .append("}]}");
        }
        respond(exchange, 202, receipts.append("]}").toString());
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Test
    void retriesRefusedMessagesWithTheSameKeyUntilEveryOneIsAcknowledgedOnce() throws Exception {
        Workload workload = new Workload(300, 0, 0, 20, 5);
        SendPlan plan = new SendPlan(List.of("alpha", "beta"), workload, "run1");
        Map<Integer, Assignment> acknowledged = new ConcurrentHashMap<>();
        AtomicInteger repeats = new AtomicInteger();

        try (Sender sender = Sender.start(NettyTransport.best(), uri(), 8, plan, (index, arrived, acked, assignments) -> {
            if (acknowledged.put(index, assignments.getFirst()) != null) {
                repeats.incrementAndGet();
            }
            assertThat(arrived).isLessThanOrEqualTo(acked);
        })) {
            sender.done().get(30, TimeUnit.SECONDS);
            assertThat(sender.acknowledged()).isEqualTo(300);
            assertThat(sender.stats()).contains("x 429").contains("x 503");
        }

        assertThat(acknowledged).hasSize(300);
        assertThat(repeats).hasValue(0);
        assertThat(stored).hasSize(300);
        long[] millis = workload.transformMillis();
        for (int i = 0; i < 300; i++) {
            assertThat(acknowledged.get(i)).isEqualTo(stored.get("run1-" + i));
            assertThat(acknowledged.get(i).destination()).isEqualTo((i % 2 == 0 ? "alpha" : "beta") + "-dest");
            assertThat(payloadByKey.get("run1-" + i)).isEqualTo(TransformPayload.of(i, millis[i]));
        }
        assertThat(attemptsByKey.get("run1-3")).hasValue(2);
        assertThat(attemptsByKey.get("run1-5")).hasValue(2);
        assertThat(attemptsByKey.get("run1-0")).hasValue(1);
    }

    @Test
    void batchesCarryUpToTheirSizeOfOneChannelAndEveryMessageIsAcknowledgedOnceWithItsReceipt() throws Exception {
        Workload workload = new Workload(205, 0, 0, 20, 5);
        SendPlan plan = new SendPlan(List.of("alpha", "beta"), workload, "run3", 25);
        Map<Integer, Assignment> acknowledged = new ConcurrentHashMap<>();

        try (Sender sender = Sender.start(NettyTransport.best(), uri(), 4, plan, (index, arrived, acked, assignments) ->
                assertThat(acknowledged.put(index, assignments.getFirst())).as("acknowledged once").isNull())) {
            sender.done().get(30, TimeUnit.SECONDS);
            assertThat(sender.stats()).contains("1 x 503");
        }

        assertThat(acknowledged).hasSize(205);
        assertThat(batchSizes).allSatisfy(size -> assertThat(size).isBetween(1, 25));
        long[] millis = workload.transformMillis();
        for (int i = 0; i < 205; i++) {
            assertThat(acknowledged.get(i)).isEqualTo(stored.get("run3-" + i));
            assertThat(acknowledged.get(i).destination()).isEqualTo((i % 2 == 0 ? "alpha" : "beta") + "-dest");
            assertThat(payloadByKey.get("run3-" + i)).isEqualTo(TransformPayload.of(i, millis[i]));
        }
    }

    @Test
    void pacedMessagesArriveAtTheirDueTimeNotWhenTheyWereSent() throws Exception {
        Workload workload = new Workload(50, 100, 0, 0, 1);
        SendPlan plan = new SendPlan(List.of("paced"), workload, "run2");
        Map<Integer, Long> arrivals = new ConcurrentHashMap<>();

        try (Sender sender = Sender.start(NettyTransport.best(), uri(), 4, plan,
                (index, arrived, acked, assignments) -> arrivals.put(index, arrived))) {
            sender.done().get(30, TimeUnit.SECONDS);
            long start = sender.startNanos();
            for (int i = 0; i < 50; i++) {
                assertThat(arrivals.get(i)).isEqualTo(start + workload.arrivalOffsetNanos(i));
            }
            // Message 49 is due 490 ms after the start and is not sent before.
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(workload.arrivalOffsetNanos(49));
        }
    }

    private URI uri() {
        return URI.create("http://127.0.0.1:" + ingress.getAddress().getPort());
    }
}
