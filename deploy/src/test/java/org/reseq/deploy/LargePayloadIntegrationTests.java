package org.reseq.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.reseq.infra.PrivatePostgres;
import org.reseq.infra.PrivateRedisServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Large messages through services with a 512 MiB heap each (the default options, which exit on
 * an out-of-memory error): 2,000 messages of 1 MiB go in, and every one arrives, in order, while
 * no service runs out of memory and Redis, a server of this test's own, holds no more than the
 * dispatch window's byte budget and a chunk.
 */
class LargePayloadIntegrationTests {

    private static final int MESSAGES = 2_000;
    private static final int PAYLOAD_BYTES = 1024 * 1024;
    private static final int SENDERS = 4;
    /** The dispatch window's byte budget (64 MiB) and a dispatch chunk, with room for Redis's own use. */
    private static final long REDIS_BUDGET_BYTES = 192L * 1024 * 1024;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static PrivatePostgres postgres;
    private static PrivateRedisServer redis;
    private static Suite suite;
    private static String ingress;

    @BeforeAll
    static void startTheSuiteOnPrivateStores() throws IOException {
        assumeTrue(PrivatePostgres.unavailableReason().isEmpty(), () -> "no private PostgreSQL can run here: "
                + PrivatePostgres.unavailableReason().orElseThrow());
        assumeTrue(PrivateRedisServer.unavailableReason().isEmpty(), () -> "no private Redis can run here: "
                + PrivateRedisServer.unavailableReason().orElseThrow());
        postgres = PrivatePostgres.launch();
        redis = PrivateRedisServer.launch();
        Map<ServiceKind, Integer> ports = ServicePorts.forEachService();
        Path home = Path.of(System.getProperty("reseq.home", "..")).toAbsolutePath().normalize();
        SuiteSettings settings = new SuiteSettings(home, postgres.server().createFreshDatabase("large"),
                postgres.server().user(), postgres.server().password(), redis.address().url(),
                "large-" + UUID.randomUUID() + ":", 1, ports, home.resolve("deploy/target/large-payload-logs"),
                Map.of(), SuiteSettings::defaultJavaOptions);
        suite = Suite.start(settings, Duration.ofMinutes(3));
        ingress = suite.instances(ServiceKind.INGRESS).getFirst().baseUrl();
    }

    @AfterAll
    static void stopEverything() {
        if (suite != null) {
            suite.close();
        }
        if (redis != null) {
            redis.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void twoThousandMessagesOfOneMebibyteArriveInOrderWithinTheMemoryBudgets() throws Exception {
        try (RecordingDestination receiver = RecordingDestination.digesting()) {
            put("/admin/v1/destinations/bulk", "{ \"type\": \"HTTP\", \"url\": \"" + receiver.url() + "\" }");
            put("/admin/v1/channels/bulk-in", "{ \"destinations\": [\"bulk\"] }");
            long baseline = usedMemory();
            AtomicLong peak = new AtomicLong(baseline);
            ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
            sampler.scheduleAtFixedRate(() -> {
                try {
                    peak.accumulateAndGet(usedMemory(), Math::max);
                } catch (RuntimeException e) {
                    System.out.println("large payloads: could not sample Redis memory: " + e);
                }
            }, 0, 100, TimeUnit.MILLISECONDS);
            Map<Long, String> sentDigests = new ConcurrentHashMap<>();
            long started = System.nanoTime();
            try {
                send(sentDigests);
                await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofSeconds(1))
                        .until(() -> receiver.count() >= MESSAGES);
            } finally {
                sampler.shutdownNow();
            }
            long elapsedMs = (System.nanoTime() - started) / 1_000_000;

            assertThat(sentDigests).hasSize(MESSAGES);
            assertThat(receiver.received()).extracting(RecordingDestination.Received::sequence)
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, MESSAGES).boxed().toList());
            assertThat(receiver.received()).allSatisfy(received ->
                    assertThat(received.body()).isEqualTo(sentDigests.get(received.sequence())));
            for (ServiceProcess service : suite.all()) {
                assertThat(service.isAlive()).as(service + " is alive").isTrue();
                assertThat(Files.readString(service.logFile())).as(service + "'s log")
                        .doesNotContain("OutOfMemoryError");
            }
            assertThat(peak.get() - baseline).as("Redis memory above its baseline").isLessThan(REDIS_BUDGET_BYTES);
            System.out.printf("large payloads: %d x %d bytes in %d ms; Redis peaked %d MiB above its baseline%n",
                    MESSAGES, PAYLOAD_BYTES, elapsedMs, (peak.get() - baseline) / (1024 * 1024));
        }
    }

    /** Posts every message from a few senders; the payload of each is derived from its index, only its digest kept. */
    private static void send(Map<Long, String> sentDigests) throws Exception {
        try (ExecutorService senders = Executors.newFixedThreadPool(SENDERS)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int s = 0; s < SENDERS; s++) {
                int sender = s;
                futures.add(senders.submit(() -> {
                    for (int i = sender; i < MESSAGES; i += SENDERS) {
                        byte[] payload = new byte[PAYLOAD_BYTES];
                        new Random(i).nextBytes(payload);
                        long sequence = post(payload);
                        sentDigests.put(sequence, RecordingDestination.digest(payload));
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        }
    }

    private static long post(byte[] payload) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                        URI.create(ingress + "/api/v1/channels/bulk-in/messages"))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(payload)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        JsonNode json = JSON.readTree(response.body());
        return json.get("deliveries").get(0).get("sequence").asLong();
    }

    private static void put(String path, String json) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(ingress + path))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isIn(200, 201);
    }

    /** Redis's {@code used_memory}, asked over a plain socket as redis-cli would. */
    private static long usedMemory() {
        try (Socket socket = new Socket("127.0.0.1", redis.port())) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write("INFO memory\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String header = readLine(in); // $<length>
            byte[] body = in.readNBytes(Integer.parseInt(header.substring(1)));
            for (String line : new String(body, StandardCharsets.US_ASCII).split("\r\n")) {
                if (line.startsWith("used_memory:")) {
                    return Long.parseLong(line.substring("used_memory:".length()).trim());
                }
            }
            throw new IllegalStateException("Redis reported no used_memory");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != '\n' && b >= 0; b = in.read()) {
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }
}
