package org.reseq.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.reseq.infra.Infrastructure;
import org.reseq.infra.PostgresServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What the suite-level tests do through the public API, and the order check they share. */
final class SuiteClient {

    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private SuiteClient() {
    }

    /** A message acknowledged by ingress, with the sequence it got at each destination. */
    record Ack(String messageId, String body, Map<String, Long> sequences, long ackedAtNanos) {
    }

    /** One POST of a text message; empty unless it was acknowledged (202). */
    static Optional<Ack> post(String ingress, String channel, String body, String key) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                            URI.create(ingress + "/api/v1/channels/" + channel + "/messages"))
                    .timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "text/plain")
                    .header("Idempotency-Key", key)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 202) {
                return Optional.empty();
            }
            JsonNode json = JSON.readTree(response.body());
            Map<String, Long> sequences = new HashMap<>();
            json.get("deliveries").forEach(d -> sequences.put(d.get("destination").asString(),
                    d.get("sequence").asLong()));
            return Optional.of(new Ack(json.get("messageId").asString(), body, sequences, System.nanoTime()));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    static void put(String url, String json) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isIn(200, 201);
    }

    /**
     * Order holds: each delivery is the next sequence, or an exact repeat of one delivered before.
     *
     * @return how many repeats there were
     */
    static int assertOrderedWithOnlyExactRepeats(String name, List<RecordingDestination.Received> received) {
        Map<Long, RecordingDestination.Received> firstBySequence = new HashMap<>();
        long highest = 0;
        int repeats = 0;
        for (RecordingDestination.Received r : received) {
            assertThat(r.idempotencyKey()).isEqualTo(name + ":" + r.sequence());
            if (r.sequence() <= highest) {
                RecordingDestination.Received first = firstBySequence.get(r.sequence());
                assertThat(first).as("%s: #%d repeats a delivered sequence", name, r.sequence()).isNotNull();
                assertThat(r.messageId()).as("%s: repeat of #%d", name, r.sequence()).isEqualTo(first.messageId());
                assertThat(r.body()).isEqualTo(first.body());
                repeats++;
            } else {
                assertThat(r.sequence()).as("%s: the sequence after #%d", name, highest).isEqualTo(highest + 1);
                highest = r.sequence();
                firstBySequence.put(r.sequence(), r);
            }
        }
        return repeats;
    }

    /**
     * Fencing held: once a destination saw a delivery with a higher {@code Reseq-Epoch}, a replaced
     * holder brought it nothing new. A process frozen in the middle of a send completes that one
     * send when it wakes (no check can stop a write already under way), so a lower epoch may still
     * arrive, but only as a repeat of a sequence the destination already had (the order check
     * proves it is an exact one), which a receiver drops by its idempotency key or its epoch.
     *
     * @return how many such late repeats arrived
     */
    static int assertNothingNewFromAReplacedHolder(String name, List<RecordingDestination.Received> received) {
        long highestEpoch = 0;
        long highestSequence = 0;
        int lateRepeats = 0;
        for (RecordingDestination.Received r : received) {
            if (r.epoch() < highestEpoch) {
                assertThat(r.sequence()).as("%s: #%d with epoch %d after a delivery with epoch %d", name,
                        r.sequence(), r.epoch(), highestEpoch).isLessThanOrEqualTo(highestSequence);
                lateRepeats++;
            }
            highestEpoch = Math.max(highestEpoch, r.epoch());
            highestSequence = Math.max(highestSequence, r.sequence());
        }
        return lateRepeats;
    }

    /**
     * Keeps a fault in place for {@code length}: there is no condition to wait for, the length is
     * the fault's. Awaitility with a deadline, so that a wait can never hang a test run.
     */
    static void hold(Duration length) {
        await().pollDelay(length).atMost(length.plusSeconds(10)).until(() -> true);
    }

    /** Waits until every destination has received {@code more} deliveries beyond what it has now. */
    static void awaitFlowing(Collection<RecordingDestination> destinations, int more) {
        Map<RecordingDestination, Integer> now = new HashMap<>();
        destinations.forEach(d -> now.put(d, d.count()));
        await().atMost(Duration.ofMinutes(1))
                .until(() -> destinations.stream().allMatch(d -> d.count() >= now.get(d) + more));
    }

    /** The longest time without a delivery in [from, to], in nanoseconds. */
    static long longestGap(List<RecordingDestination.Received> received, long from, long to) {
        long previous = from;
        long longest = 0;
        for (RecordingDestination.Received r : received) {
            if (r.receivedAtNanos() >= from && r.receivedAtNanos() <= to) {
                longest = Math.max(longest, r.receivedAtNanos() - previous);
                previous = r.receivedAtNanos();
            }
        }
        return Math.max(longest, to - previous);
    }

    /**
     * Settings for one instance of every service with their defaults, on the machine's PostgreSQL
     * (a fresh database) and Redis (a fresh key prefix), at free ports.
     *
     * @param name names the database, the log folder ({@code deploy/target/<name>-logs}) and key prefix
     * @param properties extra settings for every service, as environment variables
     */
    static SuiteSettings oneOfEach(String name, Map<String, String> properties) {
        PostgresServer postgres = Infrastructure.postgres();
        Path home = Path.of(System.getProperty("reseq.home", "..")).toAbsolutePath().normalize();
        return new SuiteSettings(home, postgres.createFreshDatabase(name), postgres.user(), postgres.password(),
                Infrastructure.redis().url(), name + "-" + UUID.randomUUID() + ":", 1, ServicePorts.forEachService(),
                home.resolve("deploy/target/" + name + "-logs"), properties, SuiteSettings::defaultJavaOptions);
    }

    /**
     * Settings for two instances of every service, as the suite-level fault tests run them: free
     * ports, default lease timings (so the figures are those an operator gets) and short timeouts
     * elsewhere, so that a crash costs seconds rather than the production defaults' minutes, and
     * a quick start (the tests restart instances).
     *
     * @param name names the test's log folder ({@code deploy/target/<name>-logs}) and key prefix
     */
    static SuiteSettings twoOfEach(String name, String jdbcUrl, String user, String password, String redisUrl)
            throws IOException {
        Map<ServiceKind, Integer> ports = ServicePorts.pairsForEachService();
        Path home = Path.of(System.getProperty("reseq.home", "..")).toAbsolutePath().normalize();
        Map<String, String> properties = Map.of(
                "RESEQ_WORKER_CLAIM_IDLE", "3s",
                "RESEQ_WORKER_CLAIM_INTERVAL", "1s",
                "RESEQ_RESEQUENCER_HEAD_DEADLINE", "5s",
                "RESEQ_EGRESS_GAP_TIMEOUT", "3s",
                "RESEQ_EGRESS_RETRY_MAX_DELAY", "1s");
        Function<ServiceKind, List<String>> javaOptions = kind -> {
            List<String> options = new ArrayList<>(SuiteSettings.defaultJavaOptions(kind));
            options.add("-XX:TieredStopAtLevel=1"); // restarted often: start fast
            return options;
        };
        return new SuiteSettings(home, jdbcUrl, user, password, redisUrl, name + "-" + UUID.randomUUID() + ":", 2,
                ports, home.resolve("deploy/target/" + name + "-logs"), properties, javaOptions);
    }

}
