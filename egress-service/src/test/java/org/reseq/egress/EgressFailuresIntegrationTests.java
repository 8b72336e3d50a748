package org.reseq.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reseq.infra.TestInfrastructure;
import org.reseq.model.destination.DestinationConfig;
import org.reseq.model.destination.DestinationConfigJson;
import org.reseq.model.destination.DestinationType;
import org.reseq.model.destination.FailurePolicy;
import org.reseq.model.failure.DeadLetter;
import org.reseq.model.failure.DeadLetters;
import org.reseq.model.failure.OperatorCommand;
import org.reseq.model.redis.HeldHead;
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
 * Delivery failures and operator redeliveries against a real PostgreSQL, a real Redis and a stub
 * HTTP destination: permanent rejections under each failure policy, retryable answers (408, 429
 * with {@code Retry-After}, 503) and {@code REDELIVER} commands.
 */
@SpringBootTest(properties = {
        "reseq.egress.poll-interval=100ms",
        "reseq.egress.lease-tick=200ms",
        "reseq.egress.retry.initial-delay=10ms",
        "reseq.egress.retry.max-delay=1500ms",
        "reseq.egress.gap-timeout=1s",
        "reseq.instance-id=egress-failures-under-test"})
class EgressFailuresIntegrationTests {

    private static final TestInfrastructure INFRA = TestInfrastructure.fresh("egress-failures");
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

    private final RedisKeys keys = new RedisKeys(INFRA.redisPrefix());
    private EgressFixture fixture;

    @BeforeEach
    void fixture() {
        fixture = new EgressFixture(jdbc, transactions, connectionFactory, signals, keys);
    }

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        INFRA.register(registry);
    }

    @AfterAll
    static void stopStub() {
        stub.close();
    }

    @Test
    void aMessageRejectedWithFourHundredUnderDeadLetterIsRecordedAndTheRestArriveInOrder() throws Exception {
        String destination = "rejects-dead-letter";
        stub.answer(destination, 3, 400, -1, Map.of());
        createDestination(destination, FailurePolicy.DEAD_LETTER, 0);
        List<TransformResult> results = release(destination, 1, 6);

        awaitDelivered(destination, 6);

        assertThat(stub.accepted(destination)).extracting(StubDestination.Received::sequence)
                .containsExactly(1L, 2L, 4L, 5L, 6L);
        assertThat(stub.received(destination)).filteredOn(r -> r.sequence() == 3).hasSize(3)
                .allSatisfy(r -> assertThat(r.answered()).isEqualTo(400));
        DeadLetter letter = deadLetters.find(destination, 3).orElseThrow();
        TransformResult rejected = results.get(2);
        assertThat(letter.stage()).isEqualTo(DeadLetter.Stage.DELIVERY);
        assertThat(letter.messageId()).isEqualTo(rejected.messageId());
        assertThat(letter.attempts()).isEqualTo(3);
        assertThat(letter.error()).contains("HTTP 400");
        assertThat(letter.contentType()).isEqualTo(rejected.contentType());
        assertThat(letter.payload()).isEqualTo(rejected.payload());
        assertThat(letter.redeliveredAt()).isNull();
        assertThat(deadLetters.count(destination)).isEqualTo(1);
    }

    @Test
    void aUrlWithCredentialsFailsWithAStoredErrorThatKeepsThemSecret() throws Exception {
        String deadLettered = "credentials-dead-letter";
        String blocked = "credentials-block";
        createDestination(deadLettered, FailurePolicy.DEAD_LETTER, 0, withCredentials(deadLettered));
        createDestination(blocked, FailurePolicy.BLOCK, 0, withCredentials(blocked));
        release(deadLettered, 1, 2);
        release(blocked, 1, 2);

        awaitDelivered(deadLettered, 2);
        for (long sequence = 1; sequence <= 2; sequence++) {
            String error = deadLetters.find(deadLettered, sequence).orElseThrow().error();
            assertThat(error).contains(maskedUrl(deadLettered)).doesNotContain("pa55").doesNotContain("s3cret");
        }
        await().atMost(DEADLINE).until(() -> signals.opsForValue().get(keys.held(fixture.incarnation(blocked)))
                != null);
        HeldHead held = HeldHead.decode(signals.opsForValue().get(keys.held(fixture.incarnation(blocked))))
                .orElseThrow();
        assertThat(held.sequence()).isEqualTo(1);
        assertThat(held.why()).contains(maskedUrl(blocked)).doesNotContain("pa55").doesNotContain("s3cret");
        assertThat(deliveredCursor(blocked)).isZero();
        assertThat(stub.received(deadLettered)).isEmpty();
        assertThat(stub.received(blocked)).isEmpty();
    }

    private String withCredentials(String name) {
        return stub.url(name).replace("http://", "http://user:pa55@") + "?token=s3cret";
    }

    private String maskedUrl(String name) {
        return stub.url(name).replace("http://", "http://***@") + "?token=***";
    }

    @Test
    void aMessageRejectedWithFourHundredUnderBlockStaysTheHeadAndNothingAfterItIsDelivered() throws Exception {
        String destination = "rejects-block";
        stub.answer(destination, 3, 400, -1, Map.of());
        createDestination(destination, FailurePolicy.BLOCK, 0);
        release(destination, 1, 6);

        awaitDelivered(destination, 2);
        // Past the permanent attempts (3) it is still tried, the maximum delay apart.
        await().atMost(DEADLINE).until(() -> attemptsOf(destination, 3) >= 5);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                .until(() -> deliveredCursor(destination) == 2);
        assertThat(stub.received(destination)).extracting(StubDestination.Received::sequence)
                .allMatch(sequence -> sequence <= 3);
        assertThat(deadLetters.count(destination)).isZero();
        List<StubDestination.Received> rejected = stub.received(destination).stream()
                .filter(r -> r.sequence() == 3).toList();
        assertThat(Duration.ofNanos(rejected.get(4).receivedNanos() - rejected.get(3).receivedNanos()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(1400));

        stub.heal(destination);

        awaitDelivered(destination, 6);
        assertThat(stub.accepted(destination)).extracting(StubDestination.Received::sequence)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, 6).boxed().toList());
    }

    @Test
    void tooManyRequestsIsRetriedAfterTheDelayItsRetryAfterAsks() {
        String destination = "too-many";
        stub.answer(destination, 2, 429, 1, Map.of("Retry-After", "1"));
        createDestination(destination, FailurePolicy.DEAD_LETTER, 0);
        release(destination, 1, 3);

        awaitDelivered(destination, 3);

        List<StubDestination.Received> second = stub.received(destination).stream()
                .filter(r -> r.sequence() == 2).toList();
        assertThat(second).extracting(StubDestination.Received::answered).containsExactly(429, 200);
        // The backoff alone would have tried again after 10 ms.
        assertThat(Duration.ofNanos(second.get(1).receivedNanos() - second.get(0).receivedNanos()))
                .isBetween(Duration.ofMillis(950), Duration.ofMillis(1450));
        assertThat(stub.accepted(destination)).extracting(StubDestination.Received::sequence)
                .containsExactly(1L, 2L, 3L);
    }

    @Test
    void requestTimeoutAndServiceUnavailableAreRetriedBeyondThePermanentAttempts() throws Exception {
        String destination = "timeouts";
        stub.answer(destination, 1, 408, 4, Map.of());
        stub.answer(destination, 2, 503, 4, Map.of());
        createDestination(destination, FailurePolicy.DEAD_LETTER, 0);
        release(destination, 1, 3);

        awaitDelivered(destination, 3);

        assertThat(stub.received(destination)).extracting(StubDestination.Received::answered)
                .containsExactly(408, 408, 408, 408, 200, 503, 503, 503, 503, 200, 200);
        assertThat(stub.accepted(destination)).extracting(StubDestination.Received::sequence)
                .containsExactly(1L, 2L, 3L);
        assertThat(deadLetters.count(destination)).isZero();
    }

    @Test
    void aRedeliverCommandDeliversTheDeadLetterOnceMarkedAndLeavesTheCursorAlone() throws Exception {
        String destination = "redelivers";
        createDestination(destination, FailurePolicy.DEAD_LETTER, 5);
        UUID messageId = UUID.randomUUID();
        byte[] payload = "kept as received".getBytes(StandardCharsets.UTF_8);
        recordDeadLetter(destination, 2, messageId, DeadLetter.Stage.TRANSFORM, "transform failed", 3, payload);

        signals.opsForList().rightPush(keys.redeliveries(fixture.incarnation(destination)),
                new OperatorCommand(OperatorCommand.Action.REDELIVER, 2).encode());

        await().atMost(DEADLINE).until(() -> deadLetters.find(destination, 2).orElseThrow().redeliveredAt() != null);
        assertThat(stub.received(destination)).singleElement().satisfies(request -> {
            assertThat(request.headers().getFirst("Reseq-Redelivery")).isEqualTo("true");
            assertThat(request.headers().getFirst("Reseq-Sequence")).isEqualTo("2");
            assertThat(request.headers().getFirst("Reseq-Message-Id")).isEqualTo(messageId.toString());
            assertThat(request.headers().getFirst("Idempotency-Key")).isEqualTo(destination + ":2");
            assertThat(request.headers().getFirst("Content-Type")).isEqualTo("text/plain");
            assertThat(request.body()).isEqualTo(payload);
        });
        assertThat(deliveredCursor(destination)).isEqualTo(5);
        assertThat(signals.opsForList().size(keys.redeliveries(fixture.incarnation(destination)))).isZero();

        // Ordered delivery goes on from the cursor, without the redelivery mark.
        release(destination, 6, 7);
        awaitDelivered(destination, 7);
        assertThat(stub.received(destination)).extracting(StubDestination.Received::sequence)
                .containsExactly(2L, 6L, 7L);
        assertThat(stub.received(destination).subList(1, 3))
                .allSatisfy(r -> assertThat(r.headers().getFirst("Reseq-Redelivery")).isNull());
    }

    @Test
    void aRedeliveryIsCarriedOutWhileTheDestinationIsBlockedAtARejectedHead() throws Exception {
        String destination = "redelivers-while-blocked";
        stub.answer(destination, 2, 400, -1, Map.of());
        createDestination(destination, FailurePolicy.BLOCK, 0);
        byte[] payload = "skipped earlier".getBytes(StandardCharsets.UTF_8);
        release(destination, 1, 3);
        await().atMost(DEADLINE).until(() -> attemptsOf(destination, 2) >= 4);
        recordDeadLetter(destination, 1, UUID.randomUUID(), DeadLetter.Stage.SKIPPED, "skipped by an operator", 0,
                payload);

        signals.opsForList().rightPush(keys.redeliveries(fixture.incarnation(destination)),
                new OperatorCommand(OperatorCommand.Action.REDELIVER, 1).encode());

        await().atMost(DEADLINE).until(() -> deadLetters.find(destination, 1).orElseThrow().redeliveredAt() != null);
        assertThat(stub.accepted(destination)).filteredOn(r -> "true".equals(r.headers().getFirst("Reseq-Redelivery")))
                .singleElement().satisfies(r -> assertThat(r.body()).isEqualTo(payload));
        assertThat(deliveredCursor(destination)).isEqualTo(1);
        await().atMost(DEADLINE).until(() -> attemptsOf(destination, 2) >= 6);
        assertThat(deliveredCursor(destination)).isEqualTo(1);
        assertThat(stub.received(destination)).extracting(StubDestination.Received::sequence)
                .doesNotContain(3L);
    }

    @Test
    void aRedeliverCommandForNoDeadLetterIsDroppedWithoutSendingAnything() {
        String destination = "redelivers-nothing";
        createDestination(destination, FailurePolicy.DEAD_LETTER, 0);

        signals.opsForList().rightPush(keys.redeliveries(fixture.incarnation(destination)),
                new OperatorCommand(OperatorCommand.Action.REDELIVER, 9).encode());

        String commands = keys.redeliveries(fixture.incarnation(destination));
        await().atMost(DEADLINE).until(() -> signals.opsForList().size(commands) == 0);
        release(destination, 1, 1);
        awaitDelivered(destination, 1);
        assertThat(stub.received(destination)).extracting(StubDestination.Received::sequence).containsExactly(1L);
    }

    private long attemptsOf(String destination, long sequence) {
        return stub.received(destination).stream().filter(r -> r.sequence() == sequence).count();
    }

    private void createDestination(String name, FailurePolicy onFailure, long delivered) {
        createDestination(name, onFailure, delivered, stub.url(name));
    }

    private void createDestination(String name, FailurePolicy onFailure, long delivered, String url) {
        String config = DestinationConfigJson.write(new DestinationConfig(DestinationType.HTTP, url, null,
                null, null, null, List.of(), null, onFailure, null, null, null, null, null, null));
        fixture.createDestination(name, config, false, delivered, delivered);
    }

    /** Puts results {@code from..to} on the out stream as the resequencer would, then signals. */
    private List<TransformResult> release(String destination, long from, long to) {
        fixture.lastSequence(destination, to);
        List<TransformResult> results = LongStream.rangeClosed(from, to)
                .mapToObj(sequence -> new TransformResult(sequence, UUID.randomUUID(), true, "application/json",
                        ("{\"n\":" + sequence + "}").getBytes(StandardCharsets.UTF_8), "", 1, 0))
                .toList();
        fixture.append(destination, results);
        fixture.released(destination, to);
        fixture.signalReleased(destination, to);
        return results;
    }

    private void awaitDelivered(String destination, long sequence) {
        await().atMost(DEADLINE).until(() -> fixture.deliveredCursor(destination) == sequence);
    }

    private long deliveredCursor(String destination) {
        return fixture.deliveredCursor(destination);
    }

    /** A dead letter as an earlier leader (of either role) recorded it. */
    private void recordDeadLetter(String destination, long sequence, UUID messageId, DeadLetter.Stage stage,
                                  String error, int attempts, byte[] payload) {
        jdbc.update("""
                insert into dead_letter (destination, sequence, message_id, stage, error, attempts, content_type, payload)
                values (?, ?, ?, ?, ?, ?, 'text/plain', ?)""", destination, sequence, messageId, stage.name(), error,
                attempts, payload);
    }
}
