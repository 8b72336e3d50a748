package org.reseq.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.reseq.deploy.SuiteClient.Ack;
import org.reseq.infra.Infrastructure;
import org.reseq.infra.PostgresServer;
import org.reseq.infra.RedisServerAddress;

/**
 * Hung leaders, not crashed ones: two instances of every service as processes, a steady load,
 * and the leader of one destination frozen with SIGSTOP (its sockets and its PostgreSQL session
 * stay open, as in a long GC pause or a paused VM), first in the egress role, then in the
 * resequencer role. With the default lease timings (renewal every second, take-over after 10 s),
 * no destination may stand still for more than 15 s, the woken process must bring nothing new
 * after its successor started (deliveries carry {@code Reseq-Epoch}: see
 * {@link SuiteClient#assertNothingNewFromAReplacedHolder}), and every acknowledged message
 * arrives, in order.
 *
 * <p>Each role is frozen once for 40 s; {@code -Dreseq.hang.trials=N} freezes it N times (the
 * further trials for 15 s) and prints the time from the freeze to the first delivery by the new
 * holder: min, median and max.
 */
class HangFailoverIntegrationTests {

    private static final int MESSAGES_PER_SECOND = 40;
    private static final int REDIS_DATABASE = 14;
    private static final List<String> DESTINATIONS = List.of("h1", "h2", "h3", "h4");
    private static final String WATCHED = "h1";
    private static final Duration FIRST_FREEZE = Duration.ofSeconds(40);
    private static final Duration FURTHER_FREEZE = Duration.ofSeconds(15);
    private static final Duration LONGEST_STALL = Duration.ofSeconds(15);

    private static Suite suite;
    private static PostgresServer postgres;
    private static String jdbcUrl;
    private static final Map<String, RecordingDestination> destinations = new LinkedHashMap<>();

    private final Map<String, Ack> acks = new ConcurrentHashMap<>();
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicBoolean sending = new AtomicBoolean(true);

    @BeforeAll
    static void startTwoOfEachService() throws IOException {
        postgres = Infrastructure.postgres();
        RedisServerAddress redis = Infrastructure.redis();
        jdbcUrl = postgres.createFreshDatabase("hangs");
        SuiteSettings settings = SuiteClient.twoOfEach("hang", jdbcUrl, postgres.user(), postgres.password(),
                redis.url() + "/" + REDIS_DATABASE);
        suite = Suite.start(settings, Duration.ofMinutes(4));
        for (String name : DESTINATIONS) {
            destinations.put(name, new RecordingDestination());
        }
    }

    @AfterAll
    static void stopTheSuite() {
        if (suite != null) {
            suite.all().forEach(ServiceProcess::resume);
            suite.close();
        }
        destinations.values().forEach(RecordingDestination::close);
    }

    @Test
    void aFrozenLeaderIsReplacedWithinTheTimeoutAndNeverActsAgainAfterItsSuccessorStarted() throws Exception {
        configure();
        Thread sender = Thread.ofPlatform().name("hang-sender").start(this::send);
        int trials = Integer.getInteger("reseq.hang.trials", 1);
        Map<ServiceKind, List<Long>> failovers = new EnumMap<>(ServiceKind.class);
        List<String> stalls = new ArrayList<>();
        long longestStall = 0;
        try {
            awaitFlowing();
            for (ServiceKind role : List.of(ServiceKind.EGRESS, ServiceKind.RESEQUENCER)) {
                for (int trial = 0; trial < trials; trial++) {
                    Trial result = freezeLeaderOf(role, trial == 0 ? FIRST_FREEZE : FURTHER_FREEZE);
                    failovers.computeIfAbsent(role, r -> new ArrayList<>()).add(result.failoverNanos());
                    stalls.add(role.module() + " " + (result.stallNanos() / 1_000_000) + " ms");
                    longestStall = Math.max(longestStall, result.stallNanos());
                    assertThat(Duration.ofNanos(result.stallNanos())).as("longest stall of any destination, "
                            + role.module() + " frozen").isLessThanOrEqualTo(LONGEST_STALL);
                }
            }
        } finally {
            sending.set(false);
            sender.join();
        }

        Map<String, Set<String>> expected = new HashMap<>();
        acks.values().forEach(ack -> ack.sequences().keySet()
                .forEach(d -> expected.computeIfAbsent(d, x -> new HashSet<>()).add(ack.messageId())));
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                expected.forEach((name, ids) -> assertThat(receivedIds(name)).as("delivered to " + name)
                        .containsAll(ids)));
        Map<String, Integer> lateRepeats = new LinkedHashMap<>();
        destinations.forEach((name, destination) -> {
            SuiteClient.assertOrderedWithOnlyExactRepeats(name, destination.received());
            lateRepeats.put(name, SuiteClient.assertNothingNewFromAReplacedHolder(name, destination.received()));
        });
        failovers.forEach((role, nanos) -> System.out.printf(
                "hang failover: %s frozen, freeze to first delivery by the new holder over %d trial(s): %s%n",
                role.module(), nanos.size(), summary(nanos)));
        System.out.printf("hang failover: longest stall of any destination per trial %s; longest %d ms; %d sent,"
                + " %d acknowledged; late repeats from a woken holder by destination %s%n", stalls,
                longestStall / 1_000_000, sent.get(), acks.size(), lateRepeats);
    }

    /**
     * Freezes the current {@code role} leader of the watched destination for {@code freeze}, then
     * lets it go on and waits until both instances are ready again.
     */
    private Trial freezeLeaderOf(ServiceKind role, Duration freeze) throws Exception {
        String leaseRole = role == ServiceKind.EGRESS ? "EGRESS" : "RESEQUENCER";
        Holder before = awaitStableHolder(leaseRole);
        ServiceProcess victim = suite.instances(role).stream()
                .filter(p -> p.instanceId().equals(before.instance())).findFirst().orElseThrow();
        long frozenAt = System.nanoTime();
        victim.pause();
        AtomicLong takenOverAt = new AtomicLong();
        ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor();
        watcher.scheduleWithFixedDelay(() -> {
            if (takenOverAt.get() == 0 && holder(leaseRole).map(h -> h.epoch() > before.epoch()).orElse(false)) {
                takenOverAt.set(System.nanoTime());
            }
        }, 0, 20, TimeUnit.MILLISECONDS);
        try {
            SuiteClient.hold(freeze);
        } finally {
            victim.resume();
            watcher.shutdownNow();
        }
        long resumedAt = System.nanoTime();
        await().atMost(Duration.ofMinutes(1)).until(() -> suite.instances(role).stream().allMatch(ServiceProcess::isReady));
        // the woken instance rejoins, leases are shared out again, and every destination flows
        await().atMost(Duration.ofMinutes(1)).until(() -> leases(leaseRole, victim.instanceId()) > 0);
        SuiteClient.awaitFlowing(destinations.values(), 20);
        long failover = firstDeliveryByTheNewHolder(role, before.epoch(), takenOverAt.get()) - frozenAt;
        long stall = destinations.values().stream()
                .mapToLong(d -> SuiteClient.longestGap(d.received(), frozenAt, resumedAt)).max().orElseThrow();
        assertThat(takenOverAt.get()).as("the lease of %s was taken over while %s was frozen", WATCHED, victim)
                .isPositive();
        return new Trial(failover, stall);
    }

    /** Egress: the first delivery with a higher epoch; resequencer: the first delivery after the take-over was seen. */
    private static long firstDeliveryByTheNewHolder(ServiceKind role, long oldEpoch, long takenOverAt) {
        return destinations.get(WATCHED).received().stream()
                .filter(r -> role == ServiceKind.EGRESS ? r.epoch() > oldEpoch
                        : r.receivedAtNanos() >= takenOverAt)
                .mapToLong(RecordingDestination.Received::receivedAtNanos).min().orElseThrow();
    }

    private Holder awaitStableHolder(String role) {
        AtomicLong sameSince = new AtomicLong(System.nanoTime());
        AtomicLong lastEpoch = new AtomicLong(-1);
        return await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200)).until(() -> {
            Optional<Holder> now = holder(role);
            if (now.isEmpty()) {
                return null;
            }
            if (now.get().epoch() != lastEpoch.get()) {
                lastEpoch.set(now.get().epoch());
                sameSince.set(System.nanoTime());
                return null;
            }
            return System.nanoTime() - sameSince.get() > Duration.ofSeconds(3).toNanos() ? now.get() : null;
        }, h -> h != null);
    }

    /** How many leases of {@code role} {@code instance} holds now. */
    private static int leases(String role, String instance) {
        try (Connection connection = postgres.connect(jdbcUrl.substring(jdbcUrl.lastIndexOf('/') + 1));
             PreparedStatement select = connection.prepareStatement(
                     "select count(*) from destination_cursor where role = ? and holder = ?")) {
            select.setString(1, role);
            select.setString(2, instance);
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        } catch (SQLException e) {
            return 0;
        }
    }

    private static Optional<Holder> holder(String role) {
        try (Connection connection = postgres.connect(jdbcUrl.substring(jdbcUrl.lastIndexOf('/') + 1));
             PreparedStatement select = connection.prepareStatement(
                     "select holder, epoch from destination_cursor where destination = ? and role = ?")) {
            select.setString(1, WATCHED);
            select.setString(2, role);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() && rows.getString(1) != null
                        ? Optional.of(new Holder(rows.getString(1), rows.getLong(2))) : Optional.empty();
            }
        } catch (SQLException e) {
            return Optional.empty();
        }
    }

    private void configure() throws IOException, InterruptedException {
        String ingress = suite.instances(ServiceKind.INGRESS).getFirst().baseUrl();
        for (var destination : destinations.entrySet()) {
            SuiteClient.put(ingress + "/admin/v1/destinations/" + destination.getKey(), """
                    { "type": "HTTP", "url": "%s", "transforms": [ { "type": "delay", "minMs": 0, "maxMs": 200 } ] }"""
                    .formatted(destination.getValue().url()));
        }
        SuiteClient.put(ingress + "/admin/v1/channels/hangs",
                SuiteClient.JSON.writeValueAsString(Map.of("destinations", DESTINATIONS)));
    }

    private void awaitFlowing() {
        await().atMost(Duration.ofMinutes(1)).until(() -> destinations.values().stream().allMatch(d -> d.count() > 20));
    }

    /** Posts at a steady rate until told to stop, each message retried on either ingress with one key. */
    private void send() {
        List<ServiceProcess> ingresses = suite.instances(ServiceKind.INGRESS);
        long interval = 1_000_000_000L / MESSAGES_PER_SECOND;
        long next = System.nanoTime();
        try (var senders = Executors.newVirtualThreadPerTaskExecutor()) {
            while (sending.get()) {
                int message = sent.getAndIncrement();
                senders.submit(() -> {
                    String key = "hang-" + message;
                    for (int attempt = 0; attempt < 20; attempt++) {
                        Optional<Ack> ack = SuiteClient.post(ingresses.get((message + attempt) % 2).baseUrl(), "hangs",
                                "message " + message, key);
                        if (ack.isPresent()) {
                            acks.put(ack.get().messageId(), ack.get());
                            return;
                        }
                    }
                });
                next += interval;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Set<String> receivedIds(String destination) {
        Set<String> ids = new HashSet<>();
        destinations.get(destination).received().forEach(r -> ids.add(r.messageId()));
        return ids;
    }

    private static String summary(List<Long> nanos) {
        List<Long> sorted = nanos.stream().sorted().toList();
        return "min %d ms, median %d ms, max %d ms".formatted(sorted.getFirst() / 1_000_000,
                sorted.get(sorted.size() / 2) / 1_000_000, sorted.getLast() / 1_000_000);
    }

    private record Holder(String instance, long epoch) {
    }

    private record Trial(long failoverNanos, long stallNanos) {
    }
}
