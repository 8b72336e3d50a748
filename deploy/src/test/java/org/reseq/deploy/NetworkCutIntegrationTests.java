package org.reseq.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.abort;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.reseq.infra.PostgresServer;
import org.reseq.infra.PrivatePostgres;
import org.reseq.infra.PrivateRedisServer;

/**
 * A leader cut off from the network, not frozen: one egress instance runs on a test host (a
 * network namespace, see {@link TestHost}) and leads some destinations; the link to it is cut
 * under load, from inside the test host, so that the process runs on but reaches nothing
 * (PostgreSQL, Redis and the destinations are on this host, listening also on its address
 * toward the test host). Another instance must take its destinations over and deliver within
 * {@link #TAKE_OVER_BOUND} of the cut. Then the link comes back: the old holder's term has ended,
 * so it brings nothing new after its successor's first delivery. Only a send already under way
 * at the cut, which TCP retransmits once the link is back, may still arrive, as an exact repeat
 * with a lower {@code Reseq-Epoch} ({@link SuiteClient#assertNothingNewFromAReplacedHolder}); the
 * test prints how many did. Every acknowledged message arrives, in order.
 *
 * <p>Needs root and iproute2; skipped otherwise.
 */
class NetworkCutIntegrationTests {

    /** This host's end of the link and the test host's: our own subnet, never a real network's. */
    private static final String HOST_ADDRESS = "10.231.77.1";
    private static final String TEST_HOST_ADDRESS = "10.231.77.2";
    private static final int MESSAGES_PER_SECOND = 40;
    private static final List<String> DESTINATIONS = List.of("n1", "n2", "n3", "n4");
    private static final Duration TAKE_OVER_BOUND = Duration.ofSeconds(15);
    private static final Duration CUT = Duration.ofSeconds(25);
    /** How long to keep watching after the link is back: late segments of the old holder arrive within it. */
    private static final Duration AFTER_RESTORE = Duration.ofSeconds(30);

    private static TestHost testHost;
    private static PrivatePostgres postgres;
    private static PrivateRedisServer redis;
    private static String database;
    private static Path logs;
    private static Suite suite;
    private static final Map<String, RecordingDestination> destinations = new LinkedHashMap<>();

    @BeforeAll
    static void startTheSuiteWithOneEgressOnATestHost() throws IOException {
        assumeTrue(TestHost.unavailableReason().isEmpty(), () -> "no test host can be made here: "
                + TestHost.unavailableReason().orElseThrow());
        assumeTrue(PrivatePostgres.unavailableReason().isEmpty(), () -> "no private PostgreSQL can run here: "
                + PrivatePostgres.unavailableReason().orElseThrow());
        assumeTrue(PrivateRedisServer.unavailableReason().isEmpty(), () -> "no private Redis can run here: "
                + PrivateRedisServer.unavailableReason().orElseThrow());
        try {
            testHost = TestHost.create(HOST_ADDRESS, TEST_HOST_ADDRESS);
        } catch (IllegalStateException e) {
            abort("no network namespace can be made here: " + e.getMessage());
        }
        System.out.printf("network cut: %s; route before: %s%n", testHost, testHost.route());
        // Both stores and the destinations listen on this host's end of the link too; every instance
        // uses that address, which this host reaches locally, whatever happens to the link.
        postgres = PrivatePostgres.launch(List.of("127.0.0.1", HOST_ADDRESS));
        redis = PrivateRedisServer.launch(List.of("127.0.0.1", HOST_ADDRESS));
        PostgresServer server = postgres.server(HOST_ADDRESS);
        String jdbcUrl = server.createFreshDatabase("cuts");
        database = jdbcUrl.substring(jdbcUrl.lastIndexOf('/') + 1);
        SuiteSettings.Host onTestHost = new SuiteSettings.Host(testHost.commandPrefix(), TEST_HOST_ADDRESS);
        SuiteSettings settings = SuiteClient.twoOfEach("network-cut", jdbcUrl, server.user(), server.password(),
                        redis.address(HOST_ADDRESS).url())
                .withHosts((kind, replica) -> kind == ServiceKind.EGRESS && replica == 1 ? onTestHost
                        : SuiteSettings.Host.LOCAL);
        logs = settings.logDirectory();
        suite = Suite.start(settings, Duration.ofMinutes(4));
        for (String name : DESTINATIONS) {
            destinations.put(name, new RecordingDestination(HOST_ADDRESS));
        }
    }

    @AfterAll
    static void stopEverythingAndRemoveTheTestHost() {
        try {
            if (testHost != null) {
                testHost.restore(); // so that the instance on it can hand over and stop
            }
        } catch (RuntimeException e) {
            System.out.println("network cut: could not restore the link: " + e.getMessage());
        } finally {
            if (suite != null) {
                suite.close();
            }
            destinations.values().forEach(RecordingDestination::close);
            if (redis != null) {
                keepLog(redis.logFile(), "redis.log");
                redis.close();
            }
            if (postgres != null) {
                keepLog(postgres.logFile(), "postgres.log");
                postgres.close();
            }
            if (testHost != null) {
                testHost.close();
            }
        }
    }

    /** Copies a store's log beside the services' logs: its own directory goes with it. */
    private static void keepLog(Path log, String name) {
        try {
            Files.createDirectories(logs);
            Files.copy(log, logs.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            System.out.println("network cut: could not keep " + log + ": " + e);
        }
    }

    @Test
    void aLeaderCutOffFromTheNetworkIsReplacedWithinFifteenSecondsAndNeverDeliversAfterItsSuccessor()
            throws Exception {
        configure();
        ServiceProcess cutOff = suite.instances(ServiceKind.EGRESS).get(1);
        SteadyLoad load = SteadyLoad.start(suite.instances(ServiceKind.INGRESS), "cuts",
                "cut-" + UUID.randomUUID() + "-", MESSAGES_PER_SECOND);
        Map<String, Long> takenOverAfter = new LinkedHashMap<>();
        Map<String, Long> epochsBefore;
        long cutAt;
        long restoredAt;
        String routeDuringCut;
        try {
            await().atMost(Duration.ofMinutes(1)).until(() -> destinations.values().stream().allMatch(d -> d.count() > 20));
            epochsBefore = awaitStableLeases(cutOff.instanceId());
            cutAt = testHost.cut();
            routeDuringCut = testHost.route();
            await().atMost(TAKE_OVER_BOUND.plusSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
                epochsBefore.forEach((name, epoch) -> firstDeliveryWithEpochAbove(name, epoch, cutAt)
                        .ifPresent(at -> takenOverAfter.putIfAbsent(name, at - cutAt)));
                return takenOverAfter.size() == epochsBefore.size();
            });
            SuiteClient.hold(CUT.minusNanos(Math.min(CUT.toNanos(), System.nanoTime() - cutAt)));
            testHost.restore();
            restoredAt = System.nanoTime();
            await().atMost(Duration.ofMinutes(1)).until(cutOff::isReady);
            // late segments of the old holder would arrive meanwhile: it must bring nothing new
            await().during(AFTER_RESTORE).atMost(AFTER_RESTORE.plusSeconds(10)).pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> destinations.forEach((name, destination) ->
                            SuiteClient.assertNothingNewFromAReplacedHolder(name, destination.received())));
        } finally {
            load.close();
        }

        Map<String, Set<String>> expected = load.expectedIdsByDestination();
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                expected.forEach((name, ids) -> assertThat(receivedIds(name)).as("delivered to " + name)
                        .containsAll(ids)));
        Map<String, Integer> repeats = new LinkedHashMap<>();
        Map<String, Integer> lateRepeats = new LinkedHashMap<>();
        destinations.forEach((name, destination) -> {
            repeats.put(name, SuiteClient.assertOrderedWithOnlyExactRepeats(name, destination.received()));
            lateRepeats.put(name, SuiteClient.assertNothingNewFromAReplacedHolder(name, destination.received()));
        });
        long longestStall = destinations.values().stream()
                .mapToLong(d -> SuiteClient.longestGap(d.received(), cutAt, restoredAt)).max().orElseThrow();
        System.out.printf("network cut: %s led %s with epochs %s; route during the cut: %s%n", cutOff,
                epochsBefore.keySet(), epochsBefore, routeDuringCut);
        System.out.printf("network cut: cut to first delivery by the new holder %s ms (bound %d s); longest stall of"
                        + " any destination during the cut %d ms; link down %d ms%n",
                takenOverAfter.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue() / 1_000_000)),
                TAKE_OVER_BOUND.toSeconds(), longestStall / 1_000_000, (restoredAt - cutAt) / 1_000_000);
        System.out.printf("network cut: %s; repeats by destination %s; deliveries by destination %s; deliveries with"
                        + " the old epochs after the cut %s; repeats with a lower epoch after a higher one %s; %s leads"
                        + " %s after the link came back%n", load, repeats,
                destinations.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().count())),
                deliveriesWithOldEpochsAfter(epochsBefore, cutAt), lateRepeats, cutOff,
                held(cutOff.instanceId()).keySet());
        takenOverAfter.forEach((name, nanos) -> assertThat(Duration.ofNanos(nanos))
                .as("cut to first delivery by the new holder of %s", name).isLessThanOrEqualTo(TAKE_OVER_BOUND));
    }

    /**
     * Waits until the instance on the test host has held the same egress leases, at least one,
     * for 3 s, and returns them with their epochs.
     */
    private static Map<String, Long> awaitStableLeases(String instance) {
        AtomicLong sameSince = new AtomicLong(System.nanoTime());
        AtomicReference<Map<String, Long>> last = new AtomicReference<>(Map.of());
        return await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200)).until(() -> {
            Map<String, Long> now = held(instance);
            if (!now.equals(last.get())) {
                last.set(now);
                sameSince.set(System.nanoTime());
                return null;
            }
            return !now.isEmpty() && System.nanoTime() - sameSince.get() > Duration.ofSeconds(3).toNanos() ? now : null;
        }, leases -> leases != null);
    }

    /** The egress leases {@code instance} holds, with their epochs. */
    private static Map<String, Long> held(String instance) {
        Map<String, Long> leases = new LinkedHashMap<>();
        try (Connection connection = postgres.server().connect(database);
             PreparedStatement select = connection.prepareStatement(
                     "select destination, epoch from destination_cursor where role = 'EGRESS' and holder = ?"
                             + " order by destination")) {
            select.setString(1, instance);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    leases.put(rows.getString(1), rows.getLong(2));
                }
            }
        } catch (SQLException e) {
            return Map.of();
        }
        return leases;
    }

    private static Optional<Long> firstDeliveryWithEpochAbove(String name, long epoch, long after) {
        return destinations.get(name).received().stream()
                .filter(r -> r.epoch() > epoch && r.receivedAtNanos() >= after)
                .map(RecordingDestination.Received::receivedAtNanos).findFirst();
    }

    /** Per destination that was led from the test host: deliveries after the cut that carry the old epoch. */
    private static Map<String, Long> deliveriesWithOldEpochsAfter(Map<String, Long> epochs, long cutAt) {
        Map<String, Long> late = new LinkedHashMap<>();
        epochs.forEach((name, epoch) -> late.put(name, destinations.get(name).received().stream()
                .filter(r -> r.epoch() <= epoch && r.receivedAtNanos() >= cutAt).count()));
        return late;
    }

    private static void configure() throws IOException, InterruptedException {
        String ingress = suite.instances(ServiceKind.INGRESS).getFirst().baseUrl();
        for (var destination : destinations.entrySet()) {
            SuiteClient.put(ingress + "/admin/v1/destinations/" + destination.getKey(), """
                    { "type": "HTTP", "url": "%s", "transforms": [ { "type": "delay", "minMs": 0, "maxMs": 200 } ] }"""
                    .formatted(destination.getValue().url()));
        }
        SuiteClient.put(ingress + "/admin/v1/channels/cuts",
                SuiteClient.JSON.writeValueAsString(Map.of("destinations", DESTINATIONS)));
    }

    private static Set<String> receivedIds(String destination) {
        Set<String> ids = new HashSet<>();
        destinations.get(destination).received().forEach(r -> ids.add(r.messageId()));
        return ids;
    }
}
