package org.reseq.deploy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * An HTTP destination for demos: prints every message it receives with its sequence, and says
 * loudly if a sequence ever arrives out of order.
 */
public final class DemoDestination implements AutoCloseable {

    private final HttpServer server;
    private final PrintStream out;
    private final Map<String, Long> lastSequences = new ConcurrentHashMap<>();

    private DemoDestination(HttpServer server, PrintStream out) {
        this.server = server;
        this.out = out;
    }

    /**
     * Runs the demo destination on its own, as the container image's {@code demo-destination}
     * target does: listens on {@code DEMO_BIND_ADDRESS} (default 127.0.0.1; 0.0.0.0 in a container)
     * and {@code DEMO_PORT} (default 9000), prints to standard output, and stops on SIGTERM.
     */
    public static void main(String[] args) throws InterruptedException {
        String address = System.getenv().getOrDefault("DEMO_BIND_ADDRESS", "127.0.0.1");
        int port = Integer.parseInt(System.getenv().getOrDefault("DEMO_PORT", "9000"));
        DemoDestination destination = start(address, port, System.out);
        System.out.printf("[demo destination] listening on %s:%d%n", address, destination.port());
        Runtime.getRuntime().addShutdownHook(new Thread(destination::close));
        Thread.currentThread().join();
    }

    /** Listens on 127.0.0.1:{@code port} (0 picks a free port) and prints to {@code out}. */
    public static DemoDestination start(int port, PrintStream out) {
        return start("127.0.0.1", port, out);
    }

    /** Listens on {@code address}:{@code port} (0 picks a free port) and prints to {@code out}. */
    public static DemoDestination start(String address, int port, PrintStream out) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(address, port), 0);
            DemoDestination destination = new DemoDestination(server, out);
            server.createContext("/", destination::handle);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.start();
            return destination;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot listen on port " + port, e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String destination = exchange.getRequestHeaders().getFirst("Reseq-Destination");
            String sequenceHeader = exchange.getRequestHeaders().getFirst("Reseq-Sequence");
            long sequence = sequenceHeader == null ? -1 : Long.parseLong(sequenceHeader);
            long previous = lastSequences.getOrDefault(String.valueOf(destination), 0L);
            lastSequences.merge(String.valueOf(destination), sequence, Math::max);
            String order = sequence > previous ? "" : "  (repeat or OUT OF ORDER: previous was " + previous + ")";
            out.printf("[demo destination] %s #%d %s: %s%s%n", destination, sequence,
                    exchange.getRequestHeaders().getFirst("Reseq-Message-Id"),
                    new String(body, StandardCharsets.UTF_8), order);
            exchange.sendResponseHeaders(204, -1);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
