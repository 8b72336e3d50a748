package org.reseq.deploy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A stub HTTP destination that records every message in arrival order and the highest number
 * of requests it ever had in flight at once. A batch (a JSON array, with
 * {@code Reseq-First-Sequence}) is recorded as its messages, in array order, each with the
 * batch's headers; {@link #batchSizes()} keeps how many each request carried.
 */
final class RecordingDestination implements AutoCloseable {

    /**
     * One request as the destination saw it.
     *
     * @param headers every request header by lower-case name, its values joined with ", "
     */
    record Received(String destination, long sequence, String messageId, String idempotencyKey, String body,
                    boolean redelivery, long receivedAtNanos, long epoch, Map<String, String> headers) {

        /** The value of a header, in any case, or null. */
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private static final JsonMapper BATCH_JSON = JsonMapper.builder().build();

    private final String host;
    private final boolean digestBodies;
    private final HttpServer server;
    private final List<Received> received = new ArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final List<Integer> batchSizes = new ArrayList<>();

    /** A destination on 127.0.0.1. */
    RecordingDestination() {
        this("127.0.0.1");
    }

    /** A destination listening on {@code host} only, for example this host's address toward a test host. */
    RecordingDestination(String host) {
        this(host, false);
    }

    /** A destination on 127.0.0.1 that keeps each body's SHA-256 ({@link #digest}) instead of the body. */
    static RecordingDestination digesting() {
        return new RecordingDestination("127.0.0.1", true);
    }

    private RecordingDestination(String host, boolean digestBodies) {
        this.host = host;
        this.digestBodies = digestBodies;
        try {
            server = HttpServer.create(new InetSocketAddress(host, 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    String url() {
        return "http://" + host + ":" + server.getAddress().getPort() + "/in";
    }

    synchronized List<Received> received() {
        return List.copyOf(received);
    }

    synchronized int count() {
        return received.size();
    }

    /** How many messages each batch request carried, in arrival order. */
    synchronized List<Integer> batchSizes() {
        return List.copyOf(batchSizes);
    }

    int maxInFlight() {
        return maxInFlight.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                byte[] bytes = exchange.getRequestBody().readAllBytes();
                String body = digestBodies ? digest(bytes) : new String(bytes);
                var headers = exchange.getRequestHeaders();
                if (headers.containsKey("Reseq-First-Sequence")) {
                    recordBatch(bytes, headers);
                    return;
                }
                synchronized (this) {
                    received.add(new Received(headers.getFirst("Reseq-Destination"),
                            Long.parseLong(headers.getFirst("Reseq-Sequence")), headers.getFirst("Reseq-Message-Id"),
                            headers.getFirst("Idempotency-Key"), body,
                            "true".equals(headers.getFirst("Reseq-Redelivery")), System.nanoTime(),
                            headers.containsKey("Reseq-Epoch") ? Long.parseLong(headers.getFirst("Reseq-Epoch")) : 0,
                            byLowerCaseName(headers)));
                }
            } finally {
                inFlight.decrementAndGet();
                exchange.sendResponseHeaders(204, -1);
            }
        }
    }

    private void recordBatch(byte[] bytes, Map<String, List<String>> headers) {
        JsonNode items = BATCH_JSON.readTree(bytes);
        long epoch = headers.containsKey("Reseq-Epoch") ? Long.parseLong(headers.get("Reseq-Epoch").getFirst()) : 0;
        synchronized (this) {
            batchSizes.add(items.size());
            for (JsonNode item : items) {
                byte[] body = item.has("body") ? BATCH_JSON.writeValueAsBytes(item.get("body"))
                        : Base64.getDecoder().decode(item.get("bodyBase64").asString());
                received.add(new Received(headers.get("Reseq-Destination").getFirst(), item.get("sequence").asLong(),
                        item.get("messageId").asString(), item.get("idempotencyKey").asString(),
                        digestBodies ? digest(body) : new String(body, StandardCharsets.UTF_8), false, System.nanoTime(),
                        epoch, byLowerCaseName(headers)));
            }
        }
    }

    private static Map<String, String> byLowerCaseName(Map<String, List<String>> headers) {
        Map<String, String> byName = new HashMap<>();
        headers.forEach((name, values) -> byName.put(name.toLowerCase(Locale.ROOT), String.join(", ", values)));
        return Map.copyOf(byName);
    }

    /** The SHA-256 of {@code bytes}, in hex. */
    static String digest(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
