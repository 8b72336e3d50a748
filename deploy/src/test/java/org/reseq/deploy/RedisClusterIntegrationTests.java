package org.reseq.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.reseq.deploy.SuiteClient.Ack;
import org.reseq.infra.Infrastructure;
import org.reseq.infra.PostgresServer;
import org.reseq.infra.PrivateRedisCluster;

/**
 * The suite on a Redis Cluster of three masters ({@code spring.data.redis.cluster.nodes}): one
 * instance of every service as a process, two destinations whose keys lie on different masters,
 * random transform delays so that results finish out of order. Every acknowledged message must
 * reach both destinations once, in arrival order, and no service may have run into a
 * cross-slot command.
 */
class RedisClusterIntegrationTests {

    private static final int MESSAGES = 300;
    private static final String CHANNEL = "spread";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static PrivateRedisCluster cluster;
    private static Suite suite;
    private static SuiteSettings settings;
    private static String ingress;
    /** Destination name to where it receives. */
    private static final Map<String, RecordingDestination> destinations = new LinkedHashMap<>();

    @BeforeAll
    static void startTheSuiteOnAThreeMasterCluster() throws IOException {
        assumeTrue(PrivateRedisCluster.unavailableReason().isEmpty(), () -> "Skipped: no private Redis Cluster can"
                + " run here (it needs redis-server and redis-cli): " + PrivateRedisCluster.unavailableReason()
                .orElseThrow());
        cluster = PrivateRedisCluster.launch(3);
        PostgresServer postgres = Infrastructure.postgres();
        Path home = Path.of(System.getProperty("reseq.home", "..")).toAbsolutePath().normalize();
        // The cluster nodes win over the url, which names one node only for what reads the url alone.
        settings = new SuiteSettings(home, postgres.createFreshDatabase("cluster"), postgres.user(),
                postgres.password(), "redis://" + cluster.addresses().getFirst(), "cluster-" + UUID.randomUUID() + ":",
                1, ServicePorts.forEachService(), home.resolve("deploy/target/redis-cluster-logs"),
                Map.of("SPRING_DATA_REDIS_CLUSTER_NODES", String.join(",", cluster.addresses())),
                RedisClusterIntegrationTests::quickStart);
        // The services append to their logs: this run's must be alone there for the cross-slot check.
        removeLogs(settings.logDirectory());
        System.out.printf("redis cluster: %s; logs in %s%n", cluster, settings.logDirectory());
        suite = Suite.start(settings, Duration.ofMinutes(3));
        ingress = suite.instances(ServiceKind.INGRESS).getFirst().baseUrl();
    }

    /** The default options, plus the C1 compiler alone: the test is short, so start-up time is most of its run. */
    private static List<String> quickStart(ServiceKind kind) {
        List<String> options = new ArrayList<>(SuiteSettings.defaultJavaOptions(kind));
        options.add("-XX:TieredStopAtLevel=1");
        return options;
    }

    @AfterAll
    static void stopEverything() {
        if (suite != null) {
            suite.close();
        }
        destinations.values().forEach(RecordingDestination::close);
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void everyMessageReachesTwoDestinationsOnDifferentMastersInArrivalOrder() throws Exception {
        int eastMaster = createOnSomeMaster("east");
        int westMaster = -1;
        for (int candidate = 1; westMaster < 0; candidate++) {
            String name = "west-" + candidate;
            int master = createOnSomeMaster(name);
            if (master == eastMaster) {
                delete(name);
            } else {
                westMaster = master;
            }
        }
        SuiteClient.put(ingress + "/admin/v1/channels/" + CHANNEL,
                SuiteClient.JSON.writeValueAsString(Map.of("destinations", List.copyOf(destinations.keySet()))));

        long started = System.nanoTime();
        List<Ack> acks = new ArrayList<>();
        for (int i = 0; i < MESSAGES; i++) {
            acks.add(SuiteClient.post(ingress, CHANNEL, "m" + i, "cluster-" + i)
                    .orElseThrow(() -> new AssertionError("a message was not acknowledged")));
        }

        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() ->
                destinations.values().stream().allMatch(d -> d.count() >= MESSAGES));
        System.out.printf("redis cluster: %d messages to destinations on the masters at ports %d and %d, all delivered"
                + " in %d ms%n", MESSAGES, eastMaster, westMaster, (System.nanoTime() - started) / 1_000_000);
        destinations.forEach((name, destination) -> {
            List<RecordingDestination.Received> received = destination.received();
            assertThat(received).extracting(RecordingDestination.Received::sequence).as("sequences at " + name)
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, MESSAGES).boxed().toList());
            for (RecordingDestination.Received r : received) {
                Ack ack = acks.get((int) r.sequence() - 1);
                assertThat(r.messageId()).as("message #%d at %s", r.sequence(), name).isEqualTo(ack.messageId());
                assertThat(ack.sequences()).containsEntry(name, r.sequence());
                assertThat(r.body()).isEqualTo(ack.body());
            }
        });
        // Where the keys are: each destination's on the master its hash tag's slot belongs to.
        List<String> names = List.copyOf(destinations.keySet());
        assertThat(cluster.keysOn(eastMaster, settings.keyPrefix() + "*{" + names.get(0) + "#*}")).isNotEmpty();
        assertThat(cluster.keysOn(westMaster, settings.keyPrefix() + "*{" + names.get(1) + "#*}")).isNotEmpty();
        assertThat(eastMaster).isNotEqualTo(westMaster);
        assertThat(logsMentioning("CROSSSLOT")).as("service logs that report a cross-slot command").isEmpty();
    }

    /**
     * Creates an HTTP destination whose transform finishes after a random delay, and says which
     * master holds its keys.
     *
     * @return the port of that master
     */
    private static int createOnSomeMaster(String name) throws Exception {
        RecordingDestination destination = new RecordingDestination();
        destinations.put(name, destination);
        SuiteClient.put(ingress + "/admin/v1/destinations/" + name, """
                { "type": "HTTP", "url": "%s", "transforms": [ { "type": "delay", "minMs": 0, "maxMs": 200 } ] }"""
                .formatted(destination.url()));
        String fence = settings.keyPrefix() + "fence:{" + name + "#" + destinationId(name) + "}";
        return cluster.masterPortOf(cluster.slot(fence));
    }

    private static void delete(String name) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                        URI.create(ingress + "/admin/v1/destinations/" + name)).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isBetween(200, 299);
        destinations.remove(name).close();
    }

    /** The destination row's id, which its incarnation, and so its hash tag, carries. */
    private static int destinationId(String name) throws SQLException {
        try (Connection connection = DriverManager.getConnection(settings.jdbcUrl(), settings.databaseUser(),
                settings.databasePassword());
             PreparedStatement select = connection.prepareStatement("select id from destination where name = ?")) {
            select.setString(1, name);
            try (ResultSet row = select.executeQuery()) {
                assertThat(row.next()).as("destination " + name + " exists").isTrue();
                return row.getInt(1);
            }
        }
    }

    private static void removeLogs(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return;
        }
        try (Stream<Path> logs = Files.list(directory)) {
            for (Path log : logs.filter(file -> file.getFileName().toString().endsWith(".log")).toList()) {
                Files.delete(log);
            }
        }
    }

    private static List<Path> logsMentioning(String text) throws IOException {
        try (Stream<Path> logs = Files.list(settings.logDirectory())) {
            return logs.filter(log -> {
                try {
                    return Files.readString(log).contains(text);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        }
    }
}
