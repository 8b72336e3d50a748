package org.reseq.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.reseq.deploy.SuiteClient.Ack;
import org.reseq.infra.Infrastructure;
import org.reseq.infra.PostgresServer;
import org.reseq.infra.RedisServerAddress;

/**
 * Real faults under load: two instances of every service as separate processes; senders post
 * for about two minutes while the test kill -9s a random transform-worker, resequencer or egress
 * instance every few seconds and restarts it, kills one ingress instance for good, flushes
 * Redis, and terminates every PostgreSQL session of the suite. Afterwards every acknowledged
 * message must have reached every destination of its channel, and no destination may ever have
 * seen its sequences go down except as exact repeats carrying the same Idempotency-Key.
 */
class FaultInjectionIntegrationTests {

    private static final int MESSAGES = 21_000;
    private static final int MESSAGES_PER_SECOND = 175; // two minutes of traffic
    private static final int SENDERS = 16;
    private static final int REDIS_DATABASE = 15;
    private static final Map<String, List<String>> ROUTES = Map.of(
            "alpha", List.of("d1", "d2"),
            "beta", List.of("d2", "d3"));


    private static Suite suite;
    private static PostgresServer postgres;
    private static String database;
    private static RedisServerAddress redis;
    private static final Map<String, RecordingDestination> destinations = new HashMap<>();

    private final Map<String, Ack> acks = new ConcurrentHashMap<>();
    private final List<Fault> faults = new CopyOnWriteArrayList<>();
    private final AtomicInteger posted = new AtomicInteger();
    private final AtomicInteger unacknowledged = new AtomicInteger();
    private final AtomicInteger retried = new AtomicInteger();

    @BeforeAll
    static void startTwoOfEachService() throws IOException {
        postgres = Infrastructure.postgres();
        redis = Infrastructure.redis();
        String jdbcUrl = postgres.createFreshDatabase("faults");
        database = jdbcUrl.substring(jdbcUrl.lastIndexOf('/') + 1);
        SuiteSettings settings = SuiteClient.twoOfEach("fault", jdbcUrl, postgres.user(), postgres.password(),
                redis.url() + "/" + REDIS_DATABASE);
        suite = Suite.start(settings, Duration.ofMinutes(4));
        for (String name : List.of("d1", "d2", "d3")) {
            destinations.put(name, new RecordingDestination());
        }
    }

    @AfterAll
    static void stopTheSuite() {
        if (suite != null) {
            suite.close();
        }
        destinations.values().forEach(RecordingDestination::close);
    }

    @Test
    void noAcknowledgedMessageIsLostOrReorderedThroughCrashesAndOutages() throws Exception {
        configureRoutes();
        long started = System.nanoTime();
        ScheduledExecutorService chaos = Executors.newSingleThreadScheduledExecutor();
        scheduleFaults(chaos);

        send();
        chaos.shutdownNow();
        chaos.awaitTermination(1, TimeUnit.MINUTES);
        suite.all().stream().filter(p -> p.kind() != ServiceKind.INGRESS).forEach(ServiceProcess::start);

        Map<String, Set<String>> expected = expectedMessageIds();
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                expected.forEach((name, ids) -> assertThat(receivedIds(name)).as("delivered to " + name)
                        .containsAll(ids)));

        Map<String, Integer> repeats = new HashMap<>();
        destinations.forEach((name, destination) ->
                repeats.put(name, SuiteClient.assertOrderedWithOnlyExactRepeats(name, destination.received())));
        destinations.forEach((name, destination) -> {
            for (RecordingDestination.Received r : destination.received()) {
                Ack ack = acks.get(r.messageId());
                if (ack != null) { // a message never acknowledged may still be delivered
                    assertThat(r.sequence()).as("sequence of %s at %s", r.messageId(), name)
                            .isEqualTo(ack.sequences().get(name));
                }
            }
        });
        assertThat(posted.get()).isEqualTo(MESSAGES);
        report(started, repeats);
    }

    private void configureRoutes() throws IOException, InterruptedException {
        String ingress = suite.instances(ServiceKind.INGRESS).getFirst().baseUrl();
        for (var destination : destinations.entrySet()) {
            SuiteClient.put(ingress + "/admin/v1/destinations/" + destination.getKey(), """
                    { "type": "HTTP", "url": "%s", "transforms": [ { "type": "delay", "minMs": 0, "maxMs": 300 } ] }"""
                    .formatted(destination.getValue().url()));
        }
        for (var route : ROUTES.entrySet()) {
            SuiteClient.put(ingress + "/admin/v1/channels/" + route.getKey(),
                    SuiteClient.JSON.writeValueAsString(Map.of("destinations", route.getValue())));
        }
    }

    /**
     * kill -9 of a random non-ingress instance every 6 s (restarted at once), and one of each other
     * fault. An instance is only killed while the other instance of its service is ready: two
     * instances promise to survive one crash at a time, not both at once.
     */
    private void scheduleFaults(ScheduledExecutorService chaos) {
        Random random = new Random();
        chaos.scheduleWithFixedDelay(() -> {
            List<ServiceProcess> victims = suite.all().stream()
                    .filter(p -> p.kind() != ServiceKind.INGRESS)
                    .filter(p -> suite.instances(p.kind()).stream().filter(other -> other != p)
                            .allMatch(ServiceProcess::isReady))
                    .toList();
            if (victims.isEmpty()) {
                return; // every service is still recovering from an earlier kill
            }
            ServiceProcess victim = victims.get(random.nextInt(victims.size()));
            victim.kill();
            faults.add(new Fault(System.nanoTime(), "kill", victim.kind(), victim.toString()));
            victim.start();
        }, 10, 6, TimeUnit.SECONDS);
        chaos.schedule(() -> {
            ServiceProcess ingress = suite.instances(ServiceKind.INGRESS).getLast();
            ingress.kill();
            faults.add(new Fault(System.nanoTime(), "kill", ServiceKind.INGRESS, ingress + " (not restarted)"));
        }, 33, TimeUnit.SECONDS);
        chaos.schedule(() -> {
            RawRedis.flushDatabase(redis.host(), redis.port(), REDIS_DATABASE);
            faults.add(new Fault(System.nanoTime(), "redis-flush", null, "FLUSHDB"));
        }, 55, TimeUnit.SECONDS);
        chaos.schedule(() -> {
            int terminated = terminatePostgresSessions();
            faults.add(new Fault(System.nanoTime(), "postgres-sessions", null, terminated + " sessions terminated"));
        }, 85, TimeUnit.SECONDS);
    }

    /** Posts at a steady rate from many senders; each message is retried on either ingress with one key. */
    private void send() throws InterruptedException {
        LinkedBlockingQueue<Integer> tickets = new LinkedBlockingQueue<>();
        AtomicInteger issued = new AtomicInteger();
        ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
        pacer.scheduleAtFixedRate(() -> {
            for (int i = 0; i < MESSAGES_PER_SECOND / 10 && issued.get() < MESSAGES; i++) {
                tickets.add(issued.getAndIncrement());
            }
        }, 0, 100, TimeUnit.MILLISECONDS);
        try (ExecutorService senders = Executors.newFixedThreadPool(SENDERS)) {
            for (int s = 0; s < SENDERS; s++) {
                senders.submit(() -> {
                    while (issued.get() < MESSAGES || !tickets.isEmpty()) {
                        Integer message = tickets.poll(100, TimeUnit.MILLISECONDS);
                        if (message != null) {
                            send(message);
                        }
                    }
                    return null;
                });
            }
        }
        pacer.shutdownNow();
    }

    private void send(int message) {
        posted.incrementAndGet();
        String channel = message % 2 == 0 ? "alpha" : "beta";
        String body = "message " + message;
        String key = "key-" + message;
        List<ServiceProcess> ingresses = suite.instances(ServiceKind.INGRESS);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        for (int attempt = 0; System.nanoTime() < deadline; attempt++) {
            ServiceProcess ingress = ingresses.get((message + attempt) % ingresses.size());
            Optional<Ack> ack = SuiteClient.post(ingress.baseUrl(), channel, body, key);
            if (ack.isPresent()) {
                acks.put(ack.get().messageId(), ack.get());
                return;
            }
            retried.incrementAndGet();
            if (attempt % ingresses.size() == ingresses.size() - 1) {
                LockSupport.parkNanos(Duration.ofMillis(200).toNanos()); // both refused: a sender's backoff
            }
        }
        unacknowledged.incrementAndGet(); // never acknowledged: not part of the promise
    }

    private Map<String, Set<String>> expectedMessageIds() {
        Map<String, Set<String>> expected = new HashMap<>();
        for (Ack ack : acks.values()) {
            ack.sequences().keySet().forEach(d -> expected.computeIfAbsent(d, x -> new HashSet<>()).add(ack.messageId()));
        }
        return expected;
    }

    private static Set<String> receivedIds(String destination) {
        Set<String> ids = new HashSet<>();
        destinations.get(destination).received().forEach(r -> ids.add(r.messageId()));
        return ids;
    }

    private void report(long started, Map<String, Integer> repeats) {
        Map<String, Integer> kills = new HashMap<>();
        faults.stream().filter(f -> f.kind().equals("kill"))
                .forEach(f -> kills.merge(f.service().module(), 1, Integer::sum));
        long longestLeaderPause = faults.stream()
                .filter(f -> f.service() == ServiceKind.RESEQUENCER || f.service() == ServiceKind.EGRESS)
                .mapToLong(f -> destinations.values().stream()
                        .mapToLong(d -> longestGap(d, f.atNanos(), Duration.ofSeconds(20).toNanos())).max().orElse(0))
                .max().orElse(0);
        Optional<Fault> flush = faults.stream().filter(f -> f.kind().equals("redis-flush")).findFirst();
        long redisResumed = flush.map(f -> destinations.values().stream()
                .mapToLong(d -> longestGap(d, f.atNanos(), Duration.ofSeconds(20).toNanos())).max().orElse(-1))
                .orElse(-1L);
        long redisCaughtUp = flush.map(f -> destinations.values().stream()
                .mapToLong(d -> firstNewMessageAfter(d, f.atNanos())).max().orElse(-1))
                .orElse(-1L);
        System.out.printf("fault injection: %d posted, %d acknowledged, %d never acknowledged, %d sender retries, "
                        + "%d s%n", posted.get(), acks.size(), unacknowledged.get(), retried.get(),
                (System.nanoTime() - started) / 1_000_000_000);
        System.out.printf("fault injection: kills by service %s; faults %s%n", kills,
                faults.stream().filter(f -> !f.kind().equals("kill")).map(Fault::description).toList());
        System.out.printf("fault injection: repeats by destination %s; deliveries by destination %s%n", repeats,
                destinations.entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey,
                        e -> e.getValue().count())));
        System.out.printf("fault injection: longest pause in delivery within 20 s after a leader kill %d ms%n",
                longestLeaderPause / 1_000_000);
        System.out.printf("fault injection: after the Redis flush, longest pause in delivery %d ms; first message "
                + "acknowledged after the flush delivered everywhere after %d ms%n", redisResumed / 1_000_000,
                redisCaughtUp / 1_000_000);
    }

    /** The longest time without a delivery at {@code destination} in [at, at + window], in nanoseconds. */
    private static long longestGap(RecordingDestination destination, long at, long window) {
        List<RecordingDestination.Received> received = destination.received();
        long end = Math.min(at + window, received.isEmpty() ? at : received.getLast().receivedAtNanos());
        return SuiteClient.longestGap(received, at, end);
    }

    /** Nanoseconds from {@code at} to the delivery of the first message acknowledged after it. */
    private long firstNewMessageAfter(RecordingDestination destination, long at) {
        AtomicLong first = new AtomicLong(Long.MAX_VALUE);
        destination.received().forEach(r -> {
            Ack ack = acks.get(r.messageId());
            if (ack != null && ack.ackedAtNanos() >= at) {
                first.accumulateAndGet(r.receivedAtNanos(), Math::min);
            }
        });
        return first.get() == Long.MAX_VALUE ? -1 : first.get() - at;
    }

    private static int terminatePostgresSessions() {
        try (Connection connection = postgres.connect("postgres");
             PreparedStatement terminate = connection.prepareStatement("""
                     select count(pg_terminate_backend(pid)) from pg_stat_activity
                      where datname = ? and pid <> pg_backend_pid()""")) {
            terminate.setString(1, database);
            var rows = terminate.executeQuery();
            rows.next();
            return rows.getInt(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Fault(long atNanos, String kind, ServiceKind service, String description) {
    }
}
