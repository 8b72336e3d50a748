package org.reseq.resequencer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.reseq.infra.Infrastructure;
import org.reseq.infra.TestInfrastructure;
import org.reseq.model.lease.LeaseKeeper;
import org.reseq.model.redis.RedisKeys;
import org.reseq.model.redis.WorkItem;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A PostgreSQL outage against a real server: the test's database stops accepting connections and
 * every session is ended, as in a restart. Leaders pause (nothing is released), readiness goes down
 * while liveness stays up, and when the database is back everything resumes without a hand.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PostgresOutageIntegrationTests {

    private static final TestInfrastructure INFRA = TestInfrastructure.fresh("resequencer_outage");
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        FakePipeline.register(registry, INFRA);
    }

    @LocalServerPort
    private int port;
    @Autowired
    private DataSource dataSource;
    @Autowired
    private StringRedisTemplate strings;
    @Autowired
    private RedisTemplate<String, byte[]> redis;
    @Autowired
    private LeaseKeeper leaseKeeper;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void leadersPauseWhilePostgresIsAwayAndResumeByThemselvesAndReadinessFollows() throws Exception {
        FakePipeline pipeline = new FakePipeline(dataSource, redis, strings, new RedisKeys(INFRA.redisPrefix()));
        String destination = "outage";
        pipeline.createDestination(destination, 100, 20);
        List<WorkItem> items = new ArrayList<>();
        await().atMost(DEADLINE).until(() -> {
            items.addAll(pipeline.takeWork(destination));
            return items.size() == 20;
        });
        items.stream().filter(item -> item.sequence() <= 5).forEach(item -> pipeline.finish(item, true));
        await().atMost(DEADLINE).until(() -> pipeline.releasedCursor(destination) == 5);
        long epochBefore = pipeline.epoch(destination);
        await().atMost(DEADLINE).until(() -> status("readiness") == 200);

        INFRA.refuseConnections();
        try {
            await().atMost(DEADLINE).until(() -> leaseKeeper.leading().isEmpty());
            await().atMost(DEADLINE).until(() -> status("readiness") == 503);
            assertThat(status("liveness")).isEqualTo(200);

            items.stream().filter(item -> item.sequence() > 5).forEach(item -> pipeline.finish(item, true));
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                    .until(() -> pipeline.outSequences(destination).size() == 5);
        } finally {
            INFRA.allowConnections();
        }

        await().atMost(DEADLINE).until(() -> leaseKeeper.leading().contains(destination));
        assertThat(pipeline.epoch(destination)).isGreaterThan(epochBefore);
        await().atMost(DEADLINE).until(() -> {
            pipeline.takeWork(destination).forEach(item -> pipeline.finish(item, true)); // whatever is dispatched again
            return pipeline.releasedCursor(destination) == 20;
        });
        assertThat(pipeline.outSequences(destination)).containsExactlyElementsOf(LongStream.rangeClosed(1, 20).boxed()
                .toList());
        await().atMost(DEADLINE).until(() -> status("readiness") == 200);
    }

    private int status(String probe) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/" + probe))
                .timeout(Duration.ofSeconds(10)).build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
