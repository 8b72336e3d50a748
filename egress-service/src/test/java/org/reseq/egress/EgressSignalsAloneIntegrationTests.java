package org.reseq.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reseq.infra.TestInfrastructure;
import org.reseq.model.destination.DestinationConfig;
import org.reseq.model.destination.DestinationConfigJson;
import org.reseq.model.redis.RedisKeys;
import org.reseq.model.redis.TransformResult;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * With rounds that no signal starts all but switched off (one an hour), egress delivers on
 * signals alone, and a pause or resume made through the admin API, which announces it on the
 * destinations channel, takes effect at once. So a destination whose polls have backed off while
 * it was idle still follows its operators without waiting for them.
 */
@SpringBootTest(properties = {
        "reseq.egress.poll-interval=1h",
        "reseq.egress.idle-poll-interval=1h",
        "reseq.egress.lease-tick=200ms",
        "reseq.instance-id=egress-signals-alone"})
class EgressSignalsAloneIntegrationTests {

    private static final TestInfrastructure INFRA = TestInfrastructure.fresh("egress_signals");
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final StubDestination stub = StubDestination.start();

    @Autowired
    private JdbcTemplate jdbc;
    @Autowired
    private StringRedisTemplate signals;
    @Autowired
    private RedisConnectionFactory connectionFactory;
    @Autowired
    private PlatformTransactionManager transactions;

    private final RedisKeys keys = new RedisKeys(INFRA.redisPrefix());
    private EgressFixture fixture;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        INFRA.register(registry);
    }

    @BeforeEach
    void fixture() {
        fixture = new EgressFixture(jdbc, transactions, connectionFactory, signals, keys);
    }

    @AfterAll
    static void stopStub() {
        stub.close();
    }

    @Test
    void anAnnouncedResumeIsReadAtOnceAndAnAnnouncedPauseStopsTheNextRelease() {
        String destination = "announced-pause";
        fixture.createDestination(destination, DestinationConfigJson.write(DestinationConfig.http(stub.url(destination),
                List.of())), true, 0, 0);
        release(destination, 1, 5);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
                .until(() -> stub.received(destination).isEmpty());

        fixture.setPaused(destination, false);

        await().atMost(DEADLINE).until(() -> fixture.deliveredCursor(destination) == 5);
        assertThat(stub.received(destination)).extracting(StubDestination.Received::sequence)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, 5).boxed().toList());

        fixture.setPaused(destination, true);
        // Announced before the release is signalled: one subscription hands both over in that order.
        release(destination, 6, 8);

        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
                .until(() -> stub.received(destination).size() == 5);
        assertThat(fixture.deliveredCursor(destination)).isEqualTo(5);
    }

    /** Puts results {@code from..to} on the out stream as the resequencer would, then signals. */
    private void release(String destination, long from, long to) {
        fixture.lastSequence(destination, to);
        fixture.append(destination, LongStream.rangeClosed(from, to).mapToObj(sequence -> new TransformResult(sequence,
                UUID.randomUUID(), true, "text/plain", ("m-" + sequence).getBytes(StandardCharsets.UTF_8), "", 1, 0))
                .toList());
        fixture.signalReleased(destination, to);
    }
}
