package org.reseq.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.reseq.model.destination.DestinationConfig;
import org.reseq.model.destination.DestinationConfigJson;
import org.reseq.model.destination.DestinationType;
import org.reseq.model.redis.Codec;
import org.reseq.model.redis.RedisKeys;
import org.reseq.model.redis.RedisTemplates;
import org.reseq.model.redis.WorkItem;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.RedisTemplate;

/**
 * Redis goes away and comes back empty (a restart without persistence): the worker logs the
 * outage once, backs off instead of spinning, reports not ready (but alive) meanwhile, and
 * afterwards creates its group again and takes new work. Runs against a Redis of its own,
 * because the shared one must never be stopped or flushed.
 */
@ExtendWith(OutputCaptureExtension.class)
class RedisOutageIntegrationTests {

    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final String OUTAGE_STARTED = "Consuming work: Redis failed; retrying";
    private static final String OUTAGE_ENDED = "Consuming work works again";

    private final RedisKeys keys = new RedisKeys("test-" + UUID.randomUUID() + ":");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private PrivateRedis redisServer;
    private ConfigurableApplicationContext worker;

    @BeforeEach
    void startRedis() {
        redisServer = PrivateRedis.start();
    }

    @AfterEach
    void stopAll() {
        if (worker != null) {
            worker.close();
        }
        // Everything the test wrote dies with its private server.
        redisServer.close();
        http.close();
    }

    @Test
    void readinessFollowsRedisAndLivenessDoesNot() throws Exception {
        worker = startWorker();
        HealthEndpointGroups groups = worker.getBean(HealthEndpointGroups.class);

        assertThat(groups.get("readiness").isMember("redis")).isTrue();
        assertThat(groups.get("readiness").isMember("readinessState")).isTrue();
        assertThat(groups.get("liveness").isMember("redis")).isFalse();
        assertThat(groups.get("liveness").isMember("livenessState")).isTrue();
        await().atMost(DEADLINE).until(() -> status("readiness") == 200);
        assertThat(body("readiness")).contains("\"redis\"", "\"readinessState\"");

        redisServer.stop();

        await().atMost(DEADLINE).until(() -> status("readiness") == 503);
        assertThat(status("liveness")).isEqualTo(200);

        redisServer.startAgain();

        await().atMost(DEADLINE).until(() -> status("readiness") == 200);
    }

    @Test
    void theWorkerWaitsOutARedisRestartAndCreatesItsGroupAgain(CapturedOutput output) {
        worker = startWorker();
        processOneItem("before", 1);

        redisServer.stop();

        // However long the outage lasts, the loop says so once and backs off between attempts.
        await().atMost(DEADLINE).until(() -> count(output, OUTAGE_STARTED) == 1);
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(10))
                .until(() -> count(output, OUTAGE_STARTED) == 1);

        // Empty, as after a restart without persistence: the stream and its group are gone.
        redisServer.startAgain();

        processOneItem("after", 1);
        await().atMost(DEADLINE).until(() -> count(output, OUTAGE_ENDED) == 1);
        assertThat(count(output, OUTAGE_STARTED)).isEqualTo(1);
    }

    private ConfigurableApplicationContext startWorker() {
        // Arguments, not default properties: application.yml would override those.
        return new SpringApplicationBuilder(TransformWorkerApplication.class)
                .web(WebApplicationType.SERVLET)
                .run("--server.port=0",
                        "--spring.data.redis.url=" + redisServer.url(),
                        "--reseq.redis.key-prefix=" + keys.prefix(),
                        "--reseq.instance-id=outage-test",
                        "--reseq.worker.claim-idle=2s",
                        "--reseq.worker.claim-interval=250ms",
                        "--management.endpoint.health.group.readiness.show-components=always");
    }

    /** Adds one item through a connection of its own (made now, so it never waits to reconnect). */
    private void processOneItem(String destination, long sequence) {
        LettuceConnectionFactory connections = new LettuceConnectionFactory(redisServer.host(), redisServer.port());
        connections.afterPropertiesSet();
        connections.start();
        try {
            RedisTemplate<String, byte[]> redis = RedisTemplates.binary(connections);
            String config = DestinationConfigJson.write(new DestinationConfig(DestinationType.HTTP,
                    "http://127.0.0.1:9/out", null, null, null, null, List.of(), null, null, 5_000L, 1, null, null, null, null));
            ClaimedIncarnations.claim(redis, keys, destination);
            WorkItem item = new WorkItem(destination, ClaimedIncarnations.ID, sequence, UUID.randomUUID(),
                    "text/plain", "m".getBytes(StandardCharsets.UTF_8), config, System.currentTimeMillis());
            redis.opsForStream().add(StreamRecords.newRecord().in(keys.work())
                    .ofMap(Map.of(RedisKeys.VALUE_FIELD, Codec.encode(item))));
            await().atMost(DEADLINE).until(() ->
                    redis.opsForHash().get(ClaimedIncarnations.done(keys, destination),
                            Long.toString(sequence)) != null);
        } finally {
            connections.destroy();
        }
    }

    private int status(String probe) throws IOException, InterruptedException {
        return get(probe).statusCode();
    }

    private String body(String probe) throws IOException, InterruptedException {
        return get(probe).body();
    }

    private HttpResponse<String> get(String probe) throws IOException, InterruptedException {
        int port = worker.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
        URI uri = URI.create("http://127.0.0.1:" + port + "/actuator/health/" + probe);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static int count(CapturedOutput output, String text) {
        return output.getOut().split(Pattern.quote(text), -1).length - 1;
    }
}
