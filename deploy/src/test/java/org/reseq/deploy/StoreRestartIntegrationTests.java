package org.reseq.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.reseq.deploy.SuiteClient.Ack;
import org.reseq.infra.PrivatePostgres;
import org.reseq.infra.PrivateRedisServer;

/**
 * The stores themselves restart, not a connection: two instances of every service as processes
 * run against a PostgreSQL and a Redis that this test started for itself, under a steady load.
 * First PostgreSQL crashes ({@code pg_ctl stop -m immediate}: every session ends at once, no
 * checkpoint) and stays down for 10 s before it starts again on its data; then Redis is killed
 * and stays down for 5 s before it starts again, empty. After each, delivery must resume at every
 * destination within {@link #RESUME_BOUND}; at the end every acknowledged message must have
 * reached every destination, in order with only exact repeats, and a replaced holder must have
 * brought nothing new after its successor's first delivery
 * ({@link SuiteClient#assertNothingNewFromAReplacedHolder}).
 *
 * <p>It prints, per restart, the time from the store being back to the first delivery at every
 * destination and to the delivery everywhere of the first message acknowledged after it.
 */
class StoreRestartIntegrationTests {

    private static final int MESSAGES_PER_SECOND = 40;
    private static final List<String> DESTINATIONS = List.of("s1", "s2", "s3", "s4");
    private static final Duration POSTGRES_DOWN = Duration.ofSeconds(10);
    private static final Duration REDIS_DOWN = Duration.ofSeconds(5);
    private static final Duration RESUME_BOUND = Duration.ofSeconds(60);

    private static PrivatePostgres postgres;
    private static PrivateRedisServer redis;
    private static Path logs;
    private static Suite suite;
    private static final Map<String, RecordingDestination> destinations = new LinkedHashMap<>();

    @BeforeAll
    static void startTwoOfEachServiceOnPrivateStores() throws IOException {
        assumeTrue(PrivatePostgres.unavailableReason().isEmpty(), () -> "no private PostgreSQL can run here: "
                + PrivatePostgres.unavailableReason().orElseThrow());
        assumeTrue(PrivateRedisServer.unavailableReason().isEmpty(), () -> "no private Redis can run here: "
                + PrivateRedisServer.unavailableReason().orElseThrow());
        postgres = PrivatePostgres.launch();
        redis = PrivateRedisServer.launch();
        String jdbcUrl = postgres.server().createFreshDatabase("restarts");
        SuiteSettings settings = SuiteClient.twoOfEach("store-restart", jdbcUrl, postgres.server().user(),
                postgres.server().password(), redis.address().url());
        logs = settings.logDirectory();
        System.out.printf("store restart: %s, %s; logs in %s%n", postgres, redis, logs);
        suite = Suite.start(settings, Duration.ofMinutes(4));
        for (String name : DESTINATIONS) {
            destinations.put(name, new RecordingDestination());
        }
    }

    @AfterAll
    static void stopEverything() {
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
    }

    /** Copies a store's log beside the services' logs: its own directory goes with it. */
    private static void keepLog(Path log, String name) {
        try {
            Files.createDirectories(logs);
            Files.copy(log, logs.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            System.out.println("store restart: could not keep " + log + ": " + e);
        }
    }

    @Test
    void deliveryResumesInOrderAfterPostgresCrashesAndAfterRedisRestartsEmpty() throws Exception {
        configure();
        List<Outage> outages = new ArrayList<>();
        SteadyLoad load = SteadyLoad.start(suite.instances(ServiceKind.INGRESS), "restarts",
                "restart-" + UUID.randomUUID() + "-", MESSAGES_PER_SECOND);
        try {
            await().atMost(Duration.ofMinutes(1)).until(() -> destinations.values().stream().allMatch(d -> d.count() > 20));
            outages.add(outage("PostgreSQL crash (pg_ctl -m immediate)", POSTGRES_DOWN, () -> postgres.stop(true),
                    postgres::start, load));
            SuiteClient.awaitFlowing(destinations.values(), 20);
            outages.add(outage("Redis kill, started again empty", REDIS_DOWN, redis::stop, redis::start, load));
            SuiteClient.awaitFlowing(destinations.values(), 20);
        } finally {
            load.close();
        }
        outages.forEach(o -> System.out.printf("store restart: %s, down %d ms; back to first delivery at every"
                        + " destination %d ms; back to the first message acknowledged after it delivered everywhere"
                        + " %d ms; longest pause in delivery %d ms%n", o.what(), millis(o.backAt() - o.downAt()),
                millis(o.firstDelivery()), millis(o.firstNewMessage()), millis(o.longestPause())));

        Map<String, Set<String>> expected = load.expectedIdsByDestination();
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                expected.forEach((name, ids) -> assertThat(receivedIds(name)).as("delivered to " + name)
                        .containsAll(ids)));
        Map<String, Integer> repeats = new LinkedHashMap<>();
        Map<String, Integer> lateRepeats = new LinkedHashMap<>();
        Map<String, Ack> acks = load.acks();
        destinations.forEach((name, destination) -> {
            List<RecordingDestination.Received> received = destination.received();
            repeats.put(name, SuiteClient.assertOrderedWithOnlyExactRepeats(name, received));
            lateRepeats.put(name, SuiteClient.assertNothingNewFromAReplacedHolder(name, received));
            for (RecordingDestination.Received r : received) {
                Ack ack = acks.get(r.messageId());
                if (ack != null) { // a message never acknowledged may still be delivered
                    assertThat(r.sequence()).as("sequence of %s at %s", r.messageId(), name)
                            .isEqualTo(ack.sequences().get(name));
                }
            }
        });

        System.out.printf("store restart: %s; repeats by destination %s; repeats with a lower epoch %s; deliveries"
                        + " by destination %s; highest epoch by destination %s%n", load, repeats, lateRepeats,
                destinations.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().count())),
                destinations.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                        e -> e.getValue().received().getLast().epoch())));
        outages.forEach(o -> {
            assertThat(Duration.ofNanos(o.firstDelivery())).as("%s: back to first delivery everywhere", o.what())
                    .isLessThanOrEqualTo(RESUME_BOUND);
            assertThat(Duration.ofNanos(o.firstNewMessage()))
                    .as("%s: back to first new message delivered everywhere", o.what()).isLessThanOrEqualTo(RESUME_BOUND);
        });
    }

    /**
     * Takes a store down for {@code down}, brings it back, and measures from then: the time to a
     * delivery at every destination, and to the delivery everywhere of the first message
     * acknowledged after it was back. Waits for both at most {@link #RESUME_BOUND} (the caller
     * asserts the bound, after the order checks).
     */
    private static Outage outage(String what, Duration down, Runnable stop, Runnable start, SteadyLoad load)
            throws InterruptedException {
        long downAt = System.nanoTime();
        stop.run();
        SuiteClient.hold(down); // the outage itself
        start.run();
        long backAt = System.nanoTime();
        AtomicLong firstDelivery = new AtomicLong(-1);
        AtomicLong firstNewMessage = new AtomicLong(-1);
        try {
            await().atMost(RESUME_BOUND).pollInterval(Duration.ofMillis(50)).until(() -> {
                if (firstDelivery.get() < 0) {
                    firstDelivery.set(firstDeliveryEverywhere(backAt));
                }
                if (firstNewMessage.get() < 0) {
                    firstNewMessage.set(firstNewMessageDeliveredEverywhere(load, backAt));
                }
                return firstDelivery.get() >= 0 && firstNewMessage.get() >= 0;
            });
        } catch (ConditionTimeoutException e) {
            // recorded as never (Long.MAX_VALUE); the bound is asserted after the order checks
        }
        long resumedAt = System.nanoTime();
        long pause = destinations.values().stream()
                .mapToLong(d -> SuiteClient.longestGap(d.received(), downAt, resumedAt)).max().orElseThrow();
        return new Outage(what, downAt, backAt, firstDelivery.get() < 0 ? Long.MAX_VALUE : firstDelivery.get(),
                firstNewMessage.get() < 0 ? Long.MAX_VALUE : firstNewMessage.get(), pause);
    }

    /** Nanoseconds from {@code at} until every destination had a delivery after it, or -1 while one has not. */
    private static long firstDeliveryEverywhere(long at) {
        long latest = 0;
        for (RecordingDestination destination : destinations.values()) {
            long first = destination.received().stream().mapToLong(RecordingDestination.Received::receivedAtNanos)
                    .filter(t -> t >= at).min().orElse(-1);
            if (first < 0) {
                return -1;
            }
            latest = Math.max(latest, first - at);
        }
        return latest;
    }

    /**
     * Nanoseconds from {@code at} to the moment the first message acknowledged after {@code at}
     * had arrived at every destination, or -1 while it has not.
     */
    private static long firstNewMessageDeliveredEverywhere(SteadyLoad load, long at) {
        Ack first = load.acks().values().stream().filter(a -> a.ackedAtNanos() >= at)
                .min((a, b) -> Long.compare(a.ackedAtNanos(), b.ackedAtNanos())).orElse(null);
        if (first == null) {
            return -1;
        }
        long latest = 0;
        for (RecordingDestination destination : destinations.values()) {
            long arrived = destination.received().stream().filter(r -> r.messageId().equals(first.messageId()))
                    .mapToLong(RecordingDestination.Received::receivedAtNanos).min().orElse(-1);
            if (arrived < 0) {
                return -1;
            }
            latest = Math.max(latest, arrived);
        }
        return latest - at;
    }

    private static void configure() throws IOException, InterruptedException {
        String ingress = suite.instances(ServiceKind.INGRESS).getFirst().baseUrl();
        for (var destination : destinations.entrySet()) {
            SuiteClient.put(ingress + "/admin/v1/destinations/" + destination.getKey(), """
                    { "type": "HTTP", "url": "%s", "transforms": [ { "type": "delay", "minMs": 0, "maxMs": 200 } ] }"""
                    .formatted(destination.getValue().url()));
        }
        SuiteClient.put(ingress + "/admin/v1/channels/restarts",
                SuiteClient.JSON.writeValueAsString(Map.of("destinations", DESTINATIONS)));
    }

    private static Set<String> receivedIds(String destination) {
        Set<String> ids = new HashSet<>();
        destinations.get(destination).received().forEach(r -> ids.add(r.messageId()));
        return ids;
    }

    private static long millis(long nanos) {
        return nanos == Long.MAX_VALUE ? -1 : nanos / 1_000_000;
    }

    /** One store outage and what it cost, in nanoseconds; {@code Long.MAX_VALUE} when never seen. */
    private record Outage(String what, long downAt, long backAt, long firstDelivery, long firstNewMessage,
                          long longestPause) {
    }
}
