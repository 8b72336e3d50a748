package org.reseq.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.LongStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reseq.egress.leader.EgressLeaseKeeper;
import org.reseq.infra.Infrastructure;
import org.reseq.infra.TestInfrastructure;
import org.reseq.model.destination.DestinationConfig;
import org.reseq.model.destination.DestinationConfigJson;
import org.reseq.model.destination.DestinationType;
import org.reseq.model.destination.Framing;
import org.reseq.model.destination.TcpAck;
import org.reseq.model.lease.AdvisoryLockLeases;
import org.reseq.model.lease.FencedCursors;
import org.reseq.model.lease.Lease;
import org.reseq.model.lease.LeaseLostException;
import org.reseq.model.lease.LeaseRole;
import org.reseq.model.lease.LockConnections;
import org.reseq.model.redis.Codec;
import org.reseq.model.redis.RedisKeys;
import org.reseq.model.redis.RedisTemplates;
import org.reseq.model.redis.TransformResult;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.stream.RecordId;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The egress service against a real PostgreSQL (its own database, migrated by Flyway), a real
 * Redis (its own key prefix), a stub HTTP destination and TCP test destinations.
 */
@SpringBootTest(properties = {
        "reseq.egress.poll-interval=100ms",
        "reseq.egress.lease-tick=200ms",
        "reseq.egress.retry.initial-delay=10ms",
        "reseq.egress.retry.max-delay=200ms",
        "reseq.egress.gap-timeout=1s",
        "reseq.egress.idle-poll-interval=500ms", // the sweep's interval too
        "reseq.instance-id=egress-under-test"})
class EgressIntegrationTests {

    private static final TestInfrastructure INFRA = TestInfrastructure.fresh("egress");
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final StubDestination stub = StubDestination.start();

    @Autowired
    private JdbcTemplate jdbc;
    @Autowired
    private DataSource dataSource;
    @Autowired
    private StringRedisTemplate signals;
    @Autowired
    private RedisConnectionFactory connectionFactory;
    @Autowired
    private EgressLeaseKeeper leaseKeeper;
    @Autowired
    private MeterRegistry meters;
    @Autowired
    private PlatformTransactionManager transactions;

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
    void deliversEverySequenceOnceInOrderWithTheContractHeaders() {
        String destination = "in-order";
        createDestination(destination, false, 0);
        List<TransformResult> results = release(destination, 1, 300);

        awaitDelivered(destination, 300);

        List<StubDestination.Received> received = stub.received(destination);
        assertThat(received).extracting(StubDestination.Received::sequence)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, 300).boxed().toList());
        for (int i = 0; i < received.size(); i++) {
            StubDestination.Received request = received.get(i);
            TransformResult result = results.get(i);
            assertThat(request.headers().getFirst("Content-Type")).isEqualTo(result.contentType());
            assertThat(request.headers().getFirst("Reseq-Destination")).isEqualTo(destination);
            assertThat(request.headers().getFirst("Reseq-Sequence")).isEqualTo(Long.toString(result.sequence()));
            assertThat(request.headers().getFirst("Reseq-Message-Id")).isEqualTo(result.messageId().toString());
            assertThat(request.headers().getFirst("Idempotency-Key")).isEqualTo(destination + ":" + result.sequence());
            for (String header : List.of("Content-Type", "Reseq-Destination", "Reseq-Sequence", "Reseq-Message-Id",
                    "Idempotency-Key")) {
                assertThat(request.headers().get(header)).as(header + " once").hasSize(1);
            }
            assertThat(request.body()).isEqualTo(result.payload());
        }
        assertThat(stub.maxInFlight(destination)).isEqualTo(1);
        assertThat(outStreamLength(destination)).isZero();
        assertThat(meters.get("reseq.egress.delivered").tag("destination", destination).counter().count())
                .isEqualTo(300);
        assertThat(meters.get("reseq.egress.delivery").tag("destination", destination).timer().count())
                .isEqualTo(300);
    }

    @Test
    void theDestinationsOwnHeadersReachTheReceiverWithEveryDelivery() {
        String destination = "with-headers";
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        headers.put("Authorization", "Bearer receiver-token");
        headers.put("X-Tenant", "acme");
        createDestination(destination, DestinationConfigJson.write(new DestinationConfig(DestinationType.HTTP,
                stub.url(destination), null, null, null, null, List.of(), null, null, null, null, null, null, null,
                headers)), false, 0);
        release(destination, 1, 3);

        awaitDelivered(destination, 3);

        assertThat(stub.received(destination)).hasSize(3).allSatisfy(request -> {
            assertThat(request.headers().get("Authorization")).containsExactly("Bearer receiver-token");
            assertThat(request.headers().get("X-Tenant")).containsExactly("acme");
            assertThat(request.headers().getFirst("Reseq-Destination")).isEqualTo(destination);
        });
    }

    @Test
    void rejectedAttemptsAreRetriedWithoutBreakingTheOrder() {
        String destination = "retried";
        stub.failFirst(destination, 4);
        createDestination(destination, false, 0);
        release(destination, 1, 20);

        awaitDelivered(destination, 20);

        assertThat(stub.accepted(destination)).extracting(StubDestination.Received::sequence)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, 20).boxed().toList());
        assertThat(stub.received(destination)).hasSize(24)
                .filteredOn(r -> r.answered() == 503).extracting(StubDestination.Received::sequence)
                .containsOnly(1L);
        assertThat(stub.maxInFlight(destination)).isEqualTo(1);
        assertThat(meters.get("reseq.egress.retries").tag("destination", destination).counter().count())
                .isEqualTo(4);
        assertThat(outStreamLength(destination)).isZero();
    }

    /**
     * A leader with nothing outstanding polls by itself more and more rarely (up to minutes); the
     * instance's sweep looks at its destination every idle poll interval and wakes it when results
     * were released whose signal was lost.
     */
    @Test
    void aQuietLeaderIsWokenByTheSweepForResultsWhoseSignalWasLost() {
        String destination = "quiet";
        createDestination(destination, false, 0);
        release(destination, 1, 3);
        released(destination, 3);
        awaitDelivered(destination, 3);
        // quiet a gap timeout (1 s) after its last delivery, its own rounds then back off to
        // minutes; nothing moves meanwhile
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                .until(() -> deliveredCursor(destination) == 3);

        fixture.lastSequence(destination, 5);
        append(destination, 4, 5);
        released(destination, 5);

        await().atMost(Duration.ofMillis(2_500)).until(() -> deliveredCursor(destination) == 5);
        assertThat(stub.received(destination)).extracting(StubDestination.Received::sequence)
                .containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void entriesAtOrBelowTheDeliveredCursorAreRemovedNotResent() {
        String destination = "repeats";
        createDestination(destination, false, 5);
        release(destination, 1, 10);

        awaitDelivered(destination, 10);

        assertThat(stub.received(destination)).extracting(StubDestination.Received::sequence)
                .containsExactly(6L, 7L, 8L, 9L, 10L);
        await().atMost(DEADLINE).until(() -> outStreamLength(destination) == 0);
    }

    @Test
    void aPausedDestinationReceivesNothingUntilResumed() {
        String destination = "paused";
        createDestination(destination, true, 0);
        release(destination, 1, 10);

        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                .until(() -> stub.received(destination).isEmpty());
        assertThat(deliveredCursor(destination)).isZero();
        assertThat(outStreamLength(destination)).isEqualTo(10);

        jdbc.update("update destination set paused = false where name = ?", destination);
        signal(destination, 10);

        awaitDelivered(destination, 10);
        assertThat(stub.received(destination)).extracting(StubDestination.Received::sequence)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, 10).boxed().toList());
    }

    @Test
    void whatWasAcceptedIsCommittedWhileTheDestinationIsDown() {
        String destination = "goes-down";
        stub.failAfter(destination, 5);
        createDestination(destination, false, 0);
        release(destination, 1, 10);

        awaitDelivered(destination, 5);
        await().atMost(DEADLINE).until(() -> stub.received(destination).size() >= 8);
        assertThat(deliveredCursor(destination)).isEqualTo(5);
        assertThat(outStreamLength(destination)).isEqualTo(5);

        stub.heal(destination);

        awaitDelivered(destination, 10);
        assertThat(stub.accepted(destination)).extracting(StubDestination.Received::sequence)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, 10).boxed().toList());
        assertThat(stub.received(destination)).filteredOn(r -> r.answered() == 503)
                .extracting(StubDestination.Received::sequence).containsOnly(6L);
    }

    @Test
    void pausingStopsTheRetriesOfADownDestination() {
        String destination = "down-then-paused";
        stub.failAfter(destination, 0);
        createDestination(destination, false, 0);
        release(destination, 1, 3);
        await().atMost(DEADLINE).until(() -> stub.received(destination).size() >= 3);

        jdbc.update("update destination set paused = true where name = ?", destination);

        // Retries back off at most 200 ms here: two looks 700 ms apart that see no new request mean quiet.
        await().pollInterval(Duration.ofMillis(700)).atMost(DEADLINE)
                .until(new SizeStaysPut(() -> stub.received(destination).size()));
        int quiet = stub.received(destination).size();
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                .until(() -> stub.received(destination).size() == quiet);
        assertThat(deliveredCursor(destination)).isZero();

        stub.heal(destination);
        jdbc.update("update destination set paused = false where name = ?", destination);

        awaitDelivered(destination, 3);
        assertThat(stub.accepted(destination)).extracting(StubDestination.Received::sequence)
                .containsExactly(1L, 2L, 3L);
    }

    @Test
    void aGapIsNeverDeliveredOutOfOrder() {
        String destination = "gap";
        createDestination(destination, false, 0);
        release(destination, 2, 4);

        // Longer than the gap timeout: the resequencer released nothing yet, so no rewind either.
        await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(10))
                .until(() -> stub.received(destination).isEmpty() && rewindRequest(destination) == null);
        assertThat(deliveredCursor(destination)).isZero();
        assertThat(outStreamLength(destination)).isEqualTo(3);
    }

    @Test
    void aGapIsReadPastAndARewindIsRequestedEveryGapTimeoutUntilTheMissingOnesCome() {
        String destination = "gap-rewind";
        createDestination(destination, false, 0);
        append(destination, 1, 5);
        append(destination, 8, 10);
        released(destination, 10);
        signal(destination, 10);

        awaitDelivered(destination, 5);
        assertThat(rewindRequest(destination)).as("not before the gap timeout").isNull();
        await().atMost(DEADLINE).until(() -> "5".equals(rewindRequest(destination)));
        // Nobody took the request (as if Redis lost it): it is made again after another timeout.
        signals.delete(keys.rewind(fixture.incarnation(destination)));
        await().atMost(DEADLINE).until(() -> "5".equals(rewindRequest(destination)));

        // The resequencer takes the request, rewinds its released cursor and releases 6..10 again.
        signals.delete(keys.rewind(fixture.incarnation(destination)));
        released(destination, 5);
        append(destination, 6, 10);
        released(destination, 10);
        signal(destination, 10);

        awaitDelivered(destination, 10);
        assertThat(stub.received(destination)).extracting(StubDestination.Received::sequence)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, 10).boxed().toList());
        await().atMost(DEADLINE).until(() -> outStreamLength(destination) == 0);
        assertThat(meters.get("reseq.egress.rewinds").tag("destination", destination).counter().count())
                .isGreaterThanOrEqualTo(2);
    }

    @Test
    void anOutStreamLostMidRunAndFilledAgainWithLowerIdsIsDeliveredOnceInOrder() {
        String destination = "stream-lost";
        stub.failAfter(destination, 5);
        createDestination(destination, false, 0);
        release(destination, 1, 10);
        awaitDelivered(destination, 5);
        await().atMost(DEADLINE).until(() -> stub.received(destination).size() >= 7);

        // Redis loses the stream while 6 is being retried; the resequencer fills it again from
        // delivered + 1, and a restarted Redis hands out ids below every one read before.
        signals.delete(keys.out(fixture.incarnation(destination)));
        RedisTemplate<String, byte[]> redis = RedisTemplates.binary(connectionFactory);
        for (long sequence = 6; sequence <= 15; sequence++) {
            redis.opsForStream().add(StreamRecords.newRecord().in(keys.out(fixture.incarnation(destination)))
                    .withId(RecordId.of(1, sequence)).ofMap(Map.of(RedisKeys.VALUE_FIELD, Codec.encode(result(sequence)))));
        }
        stub.heal(destination);
        signal(destination, 15);

        awaitDelivered(destination, 15);
        assertThat(stub.accepted(destination)).extracting(StubDestination.Received::sequence)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, 15).boxed().toList());
        await().atMost(DEADLINE).until(() -> outStreamLength(destination) == 0);
    }

    @Test
    void aTcpDestinationGetsEveryMessageInOrderOneAckedLineEachAndIsReconnectedWhenMoved() {
        try (TcpTestDestination server = new TcpTestDestination(Framing.LINE, true);
             TcpTestDestination moved = new TcpTestDestination(Framing.LINE, true)) {
            String destination = "tcp-lines";
            createDestination(destination, tcpConfig(server.port(), Framing.LINE, TcpAck.LINE), false, 0);
            List<TransformResult> results = release(destination, 1, 30);

            awaitDelivered(destination, 30);

            assertThat(server.lines()).containsExactlyElementsOf(texts(results));
            assertThat(server.accepted()).isEqualTo(1);
            await().atMost(DEADLINE).until(() -> outStreamLength(destination) == 0);
            assertThat(meters.get("reseq.egress.delivered").tag("destination", destination).counter().count())
                    .isEqualTo(30);

            jdbc.update("update destination set config = ?::jsonb where name = ?",
                    tcpConfig(moved.port(), Framing.LINE, TcpAck.LINE), destination);
            await().atMost(DEADLINE).until(() -> server.ended() == 1);
            List<TransformResult> more = release(destination, 31, 35);

            awaitDelivered(destination, 35);
            assertThat(moved.lines()).containsExactlyElementsOf(texts(more));
            assertThat(server.frames()).hasSize(30);
        }
    }

    @Test
    void aBatchedTcpDestinationGetsEveryMessageInOrderPipelinedInBatchesOverOneConnection() {
        try (TcpTestDestination server = new TcpTestDestination(Framing.LINE, true)) {
            String destination = "tcp-batched";
            // Paused while the messages are released, so that they are all ready when delivery starts.
            createDestination(destination, batchedTcpConfig(server.port(), 10), true, 0);
            List<TransformResult> results = release(destination, 1, 30);

            jdbc.update("update destination set paused = false where name = ?", destination);
            signal(destination, 30);

            awaitDelivered(destination, 30);
            assertThat(server.lines()).containsExactlyElementsOf(texts(results));
            assertThat(server.accepted()).isEqualTo(1);
            assertThat(meters.get("reseq.egress.delivered").tag("destination", destination).counter().count())
                    .isEqualTo(30);
            // A batch is timed as one delivery: fewer deliveries than messages means frames went out batched.
            assertThat(meters.get("reseq.egress.delivery").tag("destination", destination).timer().count())
                    .isLessThan(30);
        }
    }

    @Test
    void aTcpDestinationKeepsItsMessagesWhileItRefusesConnectionsAndGetsThemInOrderOnceItListens() {
        String destination = "tcp-frames";
        int port = TcpTestDestination.freePort();
        createDestination(destination, tcpConfig(port, Framing.LENGTH_PREFIXED, TcpAck.NONE), false, 0);
        List<TransformResult> results = release(destination, 1, 10);

        await().atMost(DEADLINE).until(() -> meters.find("reseq.egress.retries").tag("destination", destination)
                .counters().stream().mapToDouble(c -> c.count()).sum() >= 3);
        assertThat(deliveredCursor(destination)).isZero();
        assertThat(outStreamLength(destination)).isEqualTo(10);

        try (TcpTestDestination server = new TcpTestDestination(port, Framing.LENGTH_PREFIXED, false)) {
            awaitDelivered(destination, 10);

            await().atMost(DEADLINE).until(() -> server.frames().size() == 10);
            assertThat(server.frames()).extracting(HexFormat.of()::formatHex).containsExactlyElementsOf(
                    results.stream().map(TransformResult::payload).map(HexFormat.of()::formatHex).toList());
            assertThat(server.accepted()).isEqualTo(1);
        }
    }

    @Test
    void aLineBreakInAPayloadForLineFramingHoldsTheDestinationAtThatSequenceUntilReconfigured() {
        try (TcpTestDestination lines = new TcpTestDestination(Framing.LINE, true);
             TcpTestDestination frames = new TcpTestDestination(Framing.LENGTH_PREFIXED, false)) {
            String destination = "tcp-line-break";
            createDestination(destination, tcpConfig(lines.port(), Framing.LINE, TcpAck.LINE), false, 0);
            jdbc.update("update destination_sequence set last_sequence = 3 where destination = ?", destination);
            RedisTemplate<String, byte[]> redis = RedisTemplates.binary(connectionFactory);
            List<String> texts = List.of("one", "two\nlines", "three");
            for (int i = 0; i < texts.size(); i++) {
                long sequence = i + 1;
                String text = texts.get(i);
                redis.opsForStream().add(StreamRecords.newRecord().in(keys.out(fixture.incarnation(destination))).ofMap(Map.of(
                        RedisKeys.VALUE_FIELD, Codec.encode(new TransformResult(sequence, UUID.randomUUID(), true,
                                "text/plain", text.getBytes(StandardCharsets.UTF_8), "", 1, 0)))));
            }
            signal(destination, 3);

            awaitDelivered(destination, 1);
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                    .until(() -> deliveredCursor(destination) == 1 && lines.frames().size() == 1);
            assertThat(lines.lines()).containsExactly("one");

            jdbc.update("update destination set config = ?::jsonb where name = ?",
                    tcpConfig(frames.port(), Framing.LENGTH_PREFIXED, TcpAck.NONE), destination);

            awaitDelivered(destination, 3);
            await().atMost(DEADLINE).until(() -> frames.frames().size() == 2);
            assertThat(frames.lines()).containsExactly("two\nlines", "three");
        }
    }

    private static String tcpConfig(int port, Framing framing, TcpAck ack) {
        return DestinationConfigJson.write(new DestinationConfig(DestinationType.TCP, null, "127.0.0.1", port, framing,
                ack, List.of(), null, null, null, null, null, null, null, null));
    }

    private static String batchedTcpConfig(int port, int maxMessages) {
        return """
                {"type":"TCP","host":"127.0.0.1","port":%d,"framing":"LINE","ack":"LINE",\
                "delivery":{"mode":"BATCH","maxMessages":%d}}""".formatted(port, maxMessages);
    }

    private static List<String> texts(List<TransformResult> results) {
        return results.stream().map(result -> new String(result.payload(), StandardCharsets.UTF_8)).toList();
    }

    @Test
    void aStaleEpochCannotMoveTheDeliveredCursor() throws Exception {
        String destination = "stale";
        createDestination(destination, false, 0);
        FencedCursors cursors = new FencedCursors(dataSource);
        DataSource lockConnections = LockConnections.unpooled(Infrastructure.postgres().jdbcUrl(databaseName()),
                Infrastructure.postgres().user(), Infrastructure.postgres().password());
        leaseKeeper.stop(); // hands every lease over, so nothing else contends for this one
        try (AdvisoryLockLeases first = new AdvisoryLockLeases(lockConnections, LeaseRole.EGRESS, "first");
             AdvisoryLockLeases second = new AdvisoryLockLeases(lockConnections, LeaseRole.EGRESS, "second")) {
            Lease stale = first.tryAcquire(destination).orElseThrow();
            cursors.advance(stale, 3);
            first.close(); // as if its session ended during a long pause
            Lease current = second.tryAcquire(destination).orElseThrow();

            assertThatThrownBy(() -> cursors.advance(stale, 7)).isInstanceOf(LeaseLostException.class);
            assertThat(deliveredCursor(destination)).isEqualTo(3);
            assertThat(current.epoch()).isGreaterThan(stale.epoch());
            cursors.advance(current, 4);
            assertThat(deliveredCursor(destination)).isEqualTo(4);
        } finally {
            leaseKeeper.start();
        }
        release(destination, 1, 6);
        awaitDelivered(destination, 6);
        assertThat(stub.received(destination)).extracting(StubDestination.Received::sequence)
                .containsExactly(5L, 6L);
    }

    private void createDestination(String name, boolean paused, long delivered) {
        createDestination(name, DestinationConfigJson.write(DestinationConfig.http(stub.url(name), List.of())), paused,
                delivered);
    }

    private void createDestination(String name, String config, boolean paused, long delivered) {
        fixture.createDestination(name, config, paused, 0, delivered);
    }

    /** Puts results {@code from..to} on the out stream as the resequencer would, then signals. */
    private List<TransformResult> release(String destination, long from, long to) {
        fixture.lastSequence(destination, to);
        List<TransformResult> results = append(destination, from, to);
        fixture.signalReleased(destination, to);
        return results;
    }

    /** Appends results {@code from..to} to the out stream, nothing else. */
    private List<TransformResult> append(String destination, long from, long to) {
        List<TransformResult> results = LongStream.rangeClosed(from, to).mapToObj(EgressIntegrationTests::result)
                .toList();
        fixture.append(destination, results);
        return results;
    }

    private static TransformResult result(long sequence) {
        return new TransformResult(sequence, UUID.randomUUID(), true,
                sequence % 2 == 0 ? "application/json" : "text/plain; charset=utf-8",
                ("{\"n\":" + sequence + "}").getBytes(StandardCharsets.UTF_8), "", 1, 0);
    }

    private void released(String destination, long position) {
        fixture.released(destination, position);
    }

    private String rewindRequest(String destination) {
        return signals.opsForValue().get(keys.rewind(fixture.incarnation(destination)));
    }

    private void signal(String destination, long released) {
        fixture.signalReleased(destination, released);
    }

    private void awaitDelivered(String destination, long sequence) {
        await().atMost(DEADLINE).until(() -> fixture.deliveredCursor(destination) == sequence);
    }

    private long deliveredCursor(String destination) {
        return fixture.deliveredCursor(destination);
    }

    private long outStreamLength(String destination) {
        return fixture.outStreamLength(destination);
    }

    private String databaseName() {
        return jdbc.queryForObject("select current_database()", String.class);
    }
}
