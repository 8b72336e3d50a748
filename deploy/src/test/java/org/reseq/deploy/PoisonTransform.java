package org.reseq.deploy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * An {@code http} transform for tests: echoes each payload, except that while it is poisoned it
 * answers 500 to every payload that contains the word "poison".
 */
final class PoisonTransform implements AutoCloseable {

    private final HttpServer server;
    private volatile boolean poisoned = true;
    private final List<String> traceparents = new CopyOnWriteArrayList<>();

    PoisonTransform() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/transform";
    }

    void heal() {
        poisoned = false;
    }

    void poison() {
        poisoned = true;
    }

    /** The {@code traceparent} of every request that had one, in arrival order. */
    List<String> traceparents() {
        return List.copyOf(traceparents);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String traceparent = exchange.getRequestHeaders().getFirst("traceparent");
            if (traceparent != null) {
                traceparents.add(traceparent);
            }
            if (poisoned && new String(body, StandardCharsets.UTF_8).contains("poison")) {
                exchange.sendResponseHeaders(500, -1);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
            exchange.getResponseBody().write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
