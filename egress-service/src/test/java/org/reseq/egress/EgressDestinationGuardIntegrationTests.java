package org.reseq.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reseq.infra.TestInfrastructure;
import org.reseq.model.destination.DestinationConfig;
import org.reseq.model.destination.DestinationConfigJson;
import org.reseq.model.destination.DestinationType;
import org.reseq.model.destination.FailurePolicy;
import org.reseq.model.destination.Framing;
import org.reseq.model.destination.TcpAck;
import org.reseq.model.failure.DeadLetter;
import org.reseq.model.failure.DeadLetters;
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
 * The destination guard when egress connects, with security enabled and nothing allowed, so that
 * the loopback receivers here are refused. Their destinations are stored as a save under other
 * rules (or a host that resolved elsewhere then) would have left them: egress judges the address
 * it is about to connect to, not what was checked on save, and a refusal goes through the
 * destination's failure policy like any permanent rejection, without a connection ever opened.
 */
@SpringBootTest(properties = {
        "reseq.security.enabled=true",
        "reseq.egress.poll-interval=100ms",
        "reseq.egress.lease-tick=200ms",
        "reseq.egress.retry.initial-delay=10ms",
        "reseq.egress.retry.max-delay=1s",
        "reseq.instance-id=egress-guard-under-test"})
class EgressDestinationGuardIntegrationTests {

    private static final TestInfrastructure INFRA = TestInfrastructure.fresh("egress-guard");
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final StubDestination stub = StubDestination.start();

    @Autowired
    private JdbcTemplate jdbc;
    @Autowired
    private StringRedisTemplate signals;
    @Autowired
    private RedisConnectionFactory connectionFactory;
    @Autowired
    private PlatformTransactionManager transactions;
    @Autowired
    private DeadLetters deadLetters;
    @Autowired
    private MeterRegistry meters;

    private final RedisKeys keys = new RedisKeys(INFRA.redisPrefix());
    private EgressFixture fixture;
    private TcpTestDestination tcp;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        INFRA.register(registry);
    }

    @BeforeEach
    void fixture() {
        fixture = new EgressFixture(jdbc, transactions, connectionFactory, signals, keys);
        tcp = new TcpTestDestination(Framing.LINE, true);
    }

    @AfterEach
    void stopTcp() {
        tcp.close();
    }

    @AfterAll
    static void stopStub() {
        stub.close();
    }

    @Test
    void aTcpDestinationTheGuardRefusesIsDeadLetteredUnderDeadLetterWithoutAConnection() throws Exception {
        String destination = "tcp-refused";
        fixture.createDestination(destination, tcpConfig(FailurePolicy.DEAD_LETTER), false, 0, 0);

        release(destination, 1, 2);

        await().atMost(DEADLINE).until(() -> fixture.deliveredCursor(destination) == 2);
        DeadLetter letter = deadLetters.find(destination, 1).orElseThrow();
        assertThat(letter.stage()).isEqualTo(DeadLetter.Stage.DELIVERY);
        assertThat(letter.attempts()).isEqualTo(3);
        assertThat(letter.error()).startsWith("refused by the destination guard: 127.0.0.1:" + tcp.port()
                + " is a loopback address");
        assertThat(deadLetters.count(destination)).isEqualTo(2);
        assertThat(tcp.accepted()).isZero();
    }

    @Test
    void anHttpDestinationWhoseNameResolvesToARefusedAddressIsDeadLetteredWithoutItsSecrets() throws Exception {
        String destination = "http-refused";
        String url = stub.url(destination).replace("127.0.0.1", "localhost") + "?token=secret";
        fixture.createDestination(destination, DestinationConfigJson.write(new DestinationConfig(DestinationType.HTTP,
                url, null, null, null, null, List.of(), null, FailurePolicy.DEAD_LETTER, null, null, null, null, null, null)),
                false, 0, 0);

        release(destination, 1, 1);

        await().atMost(DEADLINE).until(() -> fixture.deliveredCursor(destination) == 1);
        String error = deadLetters.find(destination, 1).orElseThrow().error();
        assertThat(error).contains("localhost:").contains(" resolves to a loopback address")
                .doesNotContain("secret").doesNotContain("/" + destination);
        assertThat(stub.received(destination)).isEmpty();
    }

    @Test
    void underBlockARefusedDestinationHoldsItsHeadAndIsTriedAgainOnlyTheMaximumDelayApart() throws Exception {
        String destination = "tcp-blocked";
        fixture.createDestination(destination, tcpConfig(FailurePolicy.BLOCK), false, 0, 0);

        release(destination, 1, 3);

        // The permanent attempts (3), then one more the maximum delay (1 s) later.
        await().atMost(DEADLINE).until(() -> retries(destination) >= 3);
        double settled = retries(destination);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> retries(destination) - settled <= 3);
        assertThat(fixture.deliveredCursor(destination)).isZero();
        assertThat(deadLetters.count(destination)).isZero();
        assertThat(tcp.accepted()).isZero();
    }

    private String tcpConfig(FailurePolicy onFailure) {
        return DestinationConfigJson.write(new DestinationConfig(DestinationType.TCP, null, "127.0.0.1", tcp.port(),
                Framing.LINE, TcpAck.LINE, List.of(), null, onFailure, null, null, null, null, null, null));
    }

    private double retries(String destination) {
        Counter counter = meters.find("reseq.egress.retries").tag("destination", destination).counter();
        return counter == null ? 0 : counter.count();
    }

    /** Puts results {@code from..to} on the out stream as the resequencer would, then signals. */
    private void release(String destination, long from, long to) {
        fixture.lastSequence(destination, to);
        fixture.append(destination, LongStream.rangeClosed(from, to)
                .mapToObj(sequence -> new TransformResult(sequence, UUID.randomUUID(), true, "text/plain",
                        ("message " + sequence).getBytes(StandardCharsets.UTF_8), "", 1, 0))
                .toList());
        fixture.released(destination, to);
        fixture.signalReleased(destination, to);
    }
}
