package org.reseq.ingress.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reseq.infra.MutableClock;
import org.reseq.infra.TestInfrastructure;
import org.reseq.ingress.support.HttpTester.Response;
import org.reseq.ingress.support.HttpTester;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Keys expire against real PostgreSQL. Time is a clock the test moves (arrival times and the
 * cleaner's cutoff both come from it); the cleaner runs on its schedule every 100 ms, and the
 * tests also call it directly where they must know that a run has happened.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "reseq.ingest.idempotency.retention=1h",
        "reseq.ingest.idempotency.cleanup-interval=100ms",
        "reseq.ingest.idempotency.cleanup-batch=2"})
class IdempotencyRetentionIntegrationTests {

    private static final TestInfrastructure INFRA = TestInfrastructure.fresh("retention");
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        INFRA.register(registry);
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class TestClock {

        @Bean
        @Primary
        MutableClock mutableClock() {
            return new MutableClock(Instant.now());
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    MutableClock clock;

    @Autowired
    IdempotencyKeyCleaner cleaner;

    private HttpTester http;

    @BeforeEach
    void client() {
        http = new HttpTester(port);
    }

    @Test
    void forgetsKeysOlderThanTheRetentionInBatchesSoTheyCanBeUsedAgain() {
        http.channel("expiring", "expiring-sink");
        Response original = post("expiring", "order-1");
        for (int i = 2; i <= 5; i++) {
            assertThat(post("expiring", "order-" + i).status()).isEqualTo(202);
        }
        assertThat(post("expiring", null).status()).isEqualTo(202);

        clock.advance(Duration.ofMinutes(59));
        cleaner.cleanUp();
        assertThat(keys("expiring")).as("within the retention").hasSize(5);
        Response repeat = post("expiring", "order-1");
        assertThat(repeat.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(repeat.text()).isEqualTo(original.text());

        clock.advance(Duration.ofMinutes(2));
        Response fresh = post("expiring", "order-6");
        assertThat(fresh.status()).isEqualTo(202);

        // Five expired keys, two per transaction: the scheduled run takes three batches.
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(keys("expiring")).containsExactly("order-6"));
        Response reused = post("expiring", "order-1");
        assertThat(reused.status()).isEqualTo(202);
        assertThat(reused.header("Idempotent-Replayed")).isNull();
        assertThat(reused.json().path("messageId")).isNotEqualTo(original.json().path("messageId"));
        assertThat(reused.json().path("deliveries").get(0).path("sequence").asLong()).isEqualTo(8);
        assertThat(jdbc.sql("select count(*) from message where channel = 'expiring'").query(Long.class).single())
                .isEqualTo(8);
    }

    @Test
    void aRunClearsOnlyExpiredKeysAndLaterRunsFindTheOnesThatExpireAfterIt() {
        http.channel("rolling", "rolling-sink");
        post("rolling", "early");
        clock.advance(Duration.ofMinutes(30));
        post("rolling", "late");

        clock.advance(Duration.ofMinutes(31));
        cleaner.cleanUp();
        assertThat(keys("rolling")).containsExactly("late");

        clock.advance(Duration.ofMinutes(30));
        cleaner.cleanUp();
        assertThat(keys("rolling")).isEmpty();
        assertThat(cleaner.cleanUp()).isZero();
    }

    private Response post(String channel, String key) {
        return http.postMessage(channel, "text/plain", "m".getBytes(StandardCharsets.UTF_8),
                key == null ? Map.of() : Map.of("Idempotency-Key", key));
    }

    private List<String> keys(String channel) {
        return jdbc.sql("""
                        select key from idempotency_key where channel = :c order by arrived_at, key""")
                .param("c", channel).query(String.class).list();
    }
}
