package org.reseq.egress;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * An HTTP destination for tests: one path per destination, recording every request and the most
 * requests it ever had in flight at once per path. It answers 200 unless told to answer 503 (to
 * the first N requests, or to everything after N accepted ones until healed), and can run an
 * action when a given sequence arrives, before it answers. Requests are served
 * on many threads, so concurrent sends would show.
 */
final class StubDestination implements AutoCloseable {

    /** One request as received; {@code receivedNanos} is {@link System#nanoTime()} on arrival. */
    record Received(String path, Headers headers, byte[] body, int answered, long receivedNanos) {

        long sequence() {
            return Long.parseLong(headers.getFirst("Reseq-Sequence"));
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, Path> paths = new ConcurrentHashMap<>();

    /** Starts a stub on a free port; for static fields of test classes. */
    static StubDestination start() {
        try {
            return new StubDestination();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Starts a stub over HTTPS on a free port, presenting the key of {@code tls}. */
    static StubDestination startHttps(SSLContext tls) {
        try {
            return new StubDestination(tls);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    StubDestination() throws IOException {
        this(null);
    }

    private StubDestination(SSLContext tls) throws IOException {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        if (tls == null) {
            server = HttpServer.create(address, 0);
        } else {
            HttpsServer https = HttpsServer.create(address, 0);
            https.setHttpsConfigurator(new HttpsConfigurator(tls));
            server = https;
        }
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** The URL a destination named {@code name} is configured with. */
    String url(String name) {
        String scheme = server instanceof HttpsServer ? "https" : "http";
        return scheme + "://127.0.0.1:" + server.getAddress().getPort() + "/" + name;
    }

    /** Answer 503 to the first {@code count} requests for {@code name}. */
    void failFirst(String name, int count) {
        path(name).failuresLeft.set(count);
    }

    /** Accept {@code accepted} more requests for {@code name}, then answer 503 until {@link #heal}. */
    void failAfter(String name, int accepted) {
        path(name).acceptBudget.set(accepted);
    }

    /** Run {@code action} when {@code sequence} of {@code name} arrives, before answering it; once. */
    void onReceive(String name, long sequence, Runnable action) {
        path(name).actions.put(sequence, action);
    }

    /**
     * Answer {@code status} (with {@code headers}) to the next {@code times} requests for
     * {@code sequence} of {@code name}; a negative {@code times}: to every one until {@link #heal}.
     */
    void answer(String name, long sequence, int status, int times, Map<String, String> headers) {
        path(name).scripts.put(sequence, new Script(status, new AtomicInteger(times), Map.copyOf(headers)));
    }

    /** Answer 200 again. */
    void heal(String name) {
        path(name).acceptBudget.set(-1);
        path(name).scripts.clear();
    }

    /** Every request received for {@code name}, in arrival order. */
    List<Received> received(String name) {
        Path path = path(name);
        synchronized (path.received) {
            return List.copyOf(path.received);
        }
    }

    /** The requests for {@code name} answered 2xx, in arrival order. */
    List<Received> accepted(String name) {
        return received(name).stream().filter(r -> r.answered() / 100 == 2).toList();
    }

    int maxInFlight(String name) {
        return path(name).maxInFlight.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Path path = path(exchange.getRequestURI().getPath().substring(1));
            int inFlight = path.inFlight.incrementAndGet();
            path.maxInFlight.accumulateAndGet(inFlight, Math::max);
            long receivedNanos = System.nanoTime();
            byte[] body = exchange.getRequestBody().readAllBytes();
            long sequence = Long.parseLong(exchange.getRequestHeaders().getFirst("Reseq-Sequence"));
            Script script = path.scripted(sequence);
            int status = script == null ? path.answer() : script.status();
            if (script != null) {
                script.headers().forEach(exchange.getResponseHeaders()::add);
            }
            Received received = new Received(exchange.getRequestURI().getPath(), exchange.getRequestHeaders(), body,
                    status, receivedNanos);
            synchronized (path.received) {
                path.received.add(received);
            }
            Runnable action = path.actions.remove(received.sequence());
            if (action != null) {
                action.run();
            }
            // Out of flight before answering: the next request can only come after the answer.
            path.inFlight.decrementAndGet();
            exchange.sendResponseHeaders(status, -1);
        }
    }

    private Path path(String name) {
        return paths.computeIfAbsent(name, ignored -> new Path());
    }

    @Override
    public void close() {
        server.stop(0);
        executor.close();
    }

    /** A scripted answer to one sequence; {@code timesLeft} negative: without end. */
    private record Script(int status, AtomicInteger timesLeft, Map<String, String> headers) {
    }

    private static final class Path {
        final Map<Long, Script> scripts = new ConcurrentHashMap<>();
        final List<Received> received = new ArrayList<>();
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger maxInFlight = new AtomicInteger();
        final AtomicInteger failuresLeft = new AtomicInteger();
        final Map<Long, Runnable> actions = new ConcurrentHashMap<>();
        /** How many more requests to accept; -1: all. */
        final AtomicInteger acceptBudget = new AtomicInteger(-1);

        synchronized Script scripted(long sequence) {
            Script script = scripts.get(sequence);
            if (script == null || script.timesLeft().get() == 0) {
                return null;
            }
            if (script.timesLeft().get() > 0) {
                script.timesLeft().decrementAndGet();
            }
            return script;
        }

        synchronized int answer() {
            if (failuresLeft.get() > 0) {
                failuresLeft.decrementAndGet();
                return 503;
            }
            int budget = acceptBudget.get();
            if (budget == 0) {
                return 503;
            }
            if (budget > 0) {
                acceptBudget.decrementAndGet();
            }
            return 200;
        }
    }
}
