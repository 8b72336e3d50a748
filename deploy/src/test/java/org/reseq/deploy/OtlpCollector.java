package org.reseq.deploy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;

/**
 * A stand-in OpenTelemetry collector for tests: accepts OTLP/HTTP trace exports
 * ({@code POST /v1/traces}, protobuf) and keeps each request's body. The bodies are not decoded:
 * a test asks whether one export holds both a service's name (its resource) and a trace id's 16
 * raw bytes, which a protobuf message carries verbatim.
 *
 * <p>Thread-safe: requests are handled on virtual threads while a test reads.
 */
final class OtlpCollector implements AutoCloseable {

    private final HttpServer server;
    private final List<byte[]> exports = new ArrayList<>();

    OtlpCollector() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/v1/traces", this::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    /** Where a service exports its spans: {@code management.opentelemetry.tracing.export.otlp.endpoint}. */
    String tracesEndpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces";
    }

    /** Whether an export from the named service ({@code spring.application.name}) holds a span of the trace. */
    synchronized boolean received(String serviceName, byte[] traceId) {
        byte[] name = serviceName.getBytes(StandardCharsets.UTF_8);
        return exports.stream().anyMatch(body -> contains(body, name) && contains(body, traceId));
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            synchronized (this) {
                exports.add(body);
            }
            // An empty ExportTraceServiceResponse: all spans accepted.
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1);
        }
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
