package org.reseq.worker.transform;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A local HTTP endpoint on a free port that answers every request with what {@link Responder}
 * says and records what it received. Each request runs on its own virtual thread, so a
 * responder that holds its answer back blocks nobody else.
 */
public final class StubHttpServer implements AutoCloseable {

    /** A request as received. */
    public record Received(String method, Headers headers, byte[] body) {
    }

    /** An answer to send, with any further response headers. */
    public record Answer(int status, String contentType, byte[] body, Map<String, String> headers) {

        public Answer(int status, String contentType, byte[] body) {
            this(status, contentType, body, Map.of());
        }
    }

    /** Decides the answer to the n-th request (1-based). */
    @FunctionalInterface
    public interface Responder {
        Answer answer(int requestNumber, Received request) throws Exception;
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Set<InetSocketAddress> clients = ConcurrentHashMap.newKeySet();

    public StubHttpServer(Responder responder) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            try (exchange) {
                clients.add(exchange.getRemoteAddress());
                Received request = new Received(exchange.getRequestMethod(), exchange.getRequestHeaders(),
                        exchange.getRequestBody().readAllBytes());
                received.add(request);
                Answer answer = responder.answer(received.size(), request);
                answer.headers().forEach(exchange.getResponseHeaders()::set);
                if (answer.contentType() != null) {
                    exchange.getResponseHeaders().set("Content-Type", answer.contentType());
                }
                byte[] body = answer.body() == null ? new byte[0] : answer.body();
                exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
                exchange.getResponseBody().write(body);
            } catch (Exception e) {
                // The client gave up (timeout) or the stub is closing: nothing to answer.
            }
        });
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/transform";
    }

    public List<Received> received() {
        return received;
    }

    /** How many connections the requests so far came over (one per client address and port). */
    public int connections() {
        return clients.size();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
