package org.reseq.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.reseq.infra.TestCertificate;
import org.reseq.infra.TestInfrastructure;
import org.reseq.model.destination.DestinationConfig;
import org.reseq.model.destination.DestinationConfigJson;
import org.reseq.model.destination.DestinationType;
import org.reseq.model.destination.Framing;
import org.reseq.model.destination.TcpAck;
import org.reseq.model.redis.RedisKeys;
import org.reseq.model.redis.TransformResult;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Delivery over TLS with {@code reseq.egress.tls.bundle} naming a bundle that trusts the test's
 * receivers, whose certificates are made when the class starts: TCP destinations with
 * {@code tls: true} and {@code https} URLs get every message in order; a receiver whose
 * certificate does not name the host it is reached as, or is not trusted, gets nothing, and
 * the failure is retried and reported. The retries are limited to three per round so that the
 * report comes soon.
 */
@SpringBootTest(properties = {
        "reseq.egress.tls.bundle=destinations",
        "reseq.egress.poll-interval=100ms",
        "reseq.egress.lease-tick=200ms",
        "reseq.egress.retry.initial-delay=10ms",
        "reseq.egress.retry.max-delay=200ms",
        "reseq.egress.retry.max-attempts=3",
        "reseq.instance-id=egress-tls-under-test"})
@ExtendWith(OutputCaptureExtension.class)
class EgressTlsIntegrationTests {

    private static final TestInfrastructure INFRA = TestInfrastructure.fresh("egress-tls");
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    /** Names the loopback address the receivers are reached as. */
    private static final TestCertificate RECEIVER = TestCertificate.selfSigned("receiver", "dns:localhost",
            "ip:127.0.0.1");
    /** Trusted, but names only {@code localhost}, not the address it is reached as. */
    private static final TestCertificate LOCALHOST_ONLY = TestCertificate.selfSigned("localhost-only",
            "dns:localhost");
    /** Names the right address, but nothing trusts it. */
    private static final TestCertificate UNTRUSTED = TestCertificate.selfSigned("untrusted", "ip:127.0.0.1");

    @Autowired
    private JdbcTemplate jdbc;
    @Autowired
    private StringRedisTemplate signals;
    @Autowired
    private RedisConnectionFactory connectionFactory;
    @Autowired
    private PlatformTransactionManager transactions;
    @Autowired
    private MeterRegistry meters;

    private final RedisKeys keys = new RedisKeys(INFRA.redisPrefix());
    private EgressFixture fixture;

    @BeforeEach
    void fixture() {
        fixture = new EgressFixture(jdbc, transactions, connectionFactory, signals, keys);
    }

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        INFRA.register(registry);
        TestCertificate.jksBundle("destinations", null, RECEIVER, LOCALHOST_ONLY)
                .forEach((name, value) -> registry.add(name, () -> value));
    }

    @Test
    void aTlsTcpDestinationGetsEveryMessageInOrder() {
        String destination = "tcp-tls";
        try (TcpTestDestination receiver = TcpTestDestination.overTls(Framing.LINE, true,
                TestCertificate.context(RECEIVER))) {
            fixture.createDestination(destination, tlsTcpConfig(receiver.port()), false, 0, 0);

            release(destination, 1, 50);

            await().atMost(DEADLINE).until(() -> fixture.deliveredCursor(destination) == 50);
            assertThat(receiver.lines()).containsExactlyElementsOf(
                    IntStream.rangeClosed(1, 50).mapToObj(n -> "message " + n).toList());
        }
    }

    @Test
    void anHttpsDestinationGetsEveryMessageInOrder() {
        String destination = "https";
        StubDestination receiver = StubDestination.startHttps(TestCertificate.context(RECEIVER));
        try {
            fixture.createDestination(destination, httpConfig(receiver.url(destination)), false, 0, 0);

            release(destination, 1, 50);

            await().atMost(DEADLINE).until(() -> fixture.deliveredCursor(destination) == 50);
            assertThat(receiver.received(destination)).extracting(StubDestination.Received::sequence)
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, 50).boxed().toList());
        } finally {
            receiver.close();
        }
    }

    @Test
    void aTlsTcpDestinationWhoseCertificateDoesNotNameTheHostGetsNothingAndTheFailureIsReported(
            CapturedOutput output) {
        String destination = "tcp-tls-wrong-name";
        try (TcpTestDestination receiver = TcpTestDestination.overTls(Framing.LINE, true,
                TestCertificate.context(LOCALHOST_ONLY))) {
            fixture.createDestination(destination, tlsTcpConfig(receiver.port()), false, 0, 0);

            release(destination, 1, 2);

            await().atMost(DEADLINE).until(() -> output.getAll().contains(destination
                    + ": sequence 1 was not accepted: gave up after 3 attempts, the last: TLS handshake failed: "));
            assertThat(retries(destination)).isGreaterThanOrEqualTo(2);
            assertThat(fixture.deliveredCursor(destination)).isZero();
            assertThat(receiver.frames()).isEmpty();
            fixture.setPaused(destination, true);
        }
    }

    @Test
    void anHttpsDestinationWithAnUntrustedCertificateGetsNothingAndTheFailureIsReported(CapturedOutput output) {
        String destination = "https-untrusted";
        StubDestination receiver = StubDestination.startHttps(TestCertificate.context(UNTRUSTED));
        try {
            fixture.createDestination(destination, httpConfig(receiver.url(destination)), false, 0, 0);

            release(destination, 1, 2);

            await().atMost(DEADLINE).until(() -> output.getAll().contains(destination
                    + ": sequence 1 was not accepted: gave up after 3 attempts, the last: SSLHandshakeException"));
            assertThat(retries(destination)).isGreaterThanOrEqualTo(2);
            assertThat(fixture.deliveredCursor(destination)).isZero();
            assertThat(receiver.received(destination)).isEmpty();
            fixture.setPaused(destination, true);
        } finally {
            receiver.close();
        }
    }

    private static String tlsTcpConfig(int port) {
        return DestinationConfigJson.write(new DestinationConfig(DestinationType.TCP, null, "127.0.0.1", port,
                Framing.LINE, TcpAck.LINE, List.of(), null, null, null, null, null, null, true, null));
    }

    private static String httpConfig(String url) {
        return DestinationConfigJson.write(DestinationConfig.http(url, List.of()));
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
