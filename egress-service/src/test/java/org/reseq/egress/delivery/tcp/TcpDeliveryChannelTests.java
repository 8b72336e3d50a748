package org.reseq.egress.delivery.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.reseq.egress.BoundEgressProperties;
import org.reseq.egress.TcpTestDestination;
import org.reseq.egress.TcpTestDestination.Reaction;
import org.reseq.egress.delivery.Delivery;
import org.reseq.egress.delivery.DeliveryMetrics;
import org.reseq.egress.delivery.DeliveryRetry;
import org.reseq.egress.delivery.DeliveryStoppedException;
import org.reseq.egress.delivery.DestinationTls;
import org.reseq.egress.delivery.RetryGuard;
import org.reseq.egress.fake.Guards;
import org.reseq.egress.fake.TestTls;
import org.reseq.infra.TestCertificate;
import org.reseq.model.destination.DestinationConfig;
import org.reseq.model.destination.DestinationType;
import org.reseq.model.destination.FailurePolicy;
import org.reseq.model.destination.Framing;
import org.reseq.model.destination.TcpAck;

/** The TCP channel against real TCP servers on loopback ports. */
class TcpDeliveryChannelTests {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final String DESTINATION = "orders";
    private static final TestCertificate LOOPBACK_CERT = TestCertificate.selfSigned("loopback", "ip:127.0.0.1");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final DeliveryRetry retry = new DeliveryRetry(
            BoundEgressProperties.of("reseq.egress.retry.initial-delay", "5ms",
                    "reseq.egress.retry.max-delay", "100ms"),
            new DeliveryMetrics(registry));
    private final TcpDeliveryChannel channel = new TcpDeliveryChannel(retry, Guards.open(), DestinationTls.jdkDefault());
    private final List<TcpTestDestination> servers = new ArrayList<>();

    @AfterEach
    void stop() {
        channel.destroy();
        servers.forEach(TcpTestDestination::close);
    }

    @Test
    void linesWithLineAcksArriveInOrderOnceEachOverOneConnection() throws Exception {
        TcpTestDestination server = server(Framing.LINE, true);
        DestinationConfig config = config(server.port(), Framing.LINE, TcpAck.LINE, null);

        for (int n = 1; n <= 50; n++) {
            channel.deliver(config, delivery(n, "message " + n), RetryGuard.always());
            // Acknowledged means received: no waiting needed.
            assertThat(server.lines()).hasSize(n).last().isEqualTo("message " + n);
        }

        assertThat(server.lines()).containsExactlyElementsOf(messages(1, 50));
        assertThat(server.accepted()).isEqualTo(1);
        assertThat(retries()).isZero();
    }

    @Test
    void lengthPrefixedFramesWithoutAcksArriveAsTheExactBytesInOrder() throws Exception {
        TcpTestDestination server = server(Framing.LENGTH_PREFIXED, false);
        DestinationConfig config = config(server.port(), Framing.LENGTH_PREFIXED, TcpAck.NONE, null);
        List<byte[]> payloads = List.of("first".getBytes(StandardCharsets.UTF_8), new byte[0],
                "two\nlines\r\n".getBytes(StandardCharsets.UTF_8), new byte[] {0, (byte) 0xff, 10, 13, 0},
                new byte[70_000]);

        for (int i = 0; i < payloads.size(); i++) {
            channel.deliver(config, new Delivery(DESTINATION, i + 1, UUID.randomUUID(), "application/octet-stream",
                    payloads.get(i)), RetryGuard.always());
        }

        await().atMost(DEADLINE).until(() -> server.frames().size() == payloads.size());
        assertThat(server.frames()).extracting(HexFormat.of()::formatHex)
                .containsExactlyElementsOf(payloads.stream().map(HexFormat.of()::formatHex).toList());
        assertThat(server.accepted()).isEqualTo(1);
    }

    @Test
    void aConnectionClosedByTheDestinationMidRunIsReopenedAndOnlyTheMessageInFlightRepeats() throws Exception {
        TcpTestDestination server = server(Framing.LINE, true);
        server.on(5, Reaction.CLOSE);
        DestinationConfig config = config(server.port(), Framing.LINE, TcpAck.LINE, null);

        deliver(config, 1, 10);

        List<String> expected = new ArrayList<>(messages(1, 5));
        expected.addAll(messages(5, 10));
        assertThat(server.lines()).containsExactlyElementsOf(expected);
        assertThat(server.accepted()).isEqualTo(2);
        assertThat(retries()).isEqualTo(1);
    }

    @Test
    void aDestinationRefusingConnectionsForAWhileGetsEverythingInOrderOnceItAccepts() throws Exception {
        int port = TcpTestDestination.freePort();
        DestinationConfig config = config(port, Framing.LINE, TcpAck.LINE, null);
        CompletableFuture<Void> delivering = CompletableFuture.runAsync(() -> {
            try {
                deliver(config, 1, 5);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, runnable -> Thread.ofVirtual().start(runnable));
        await().atMost(DEADLINE).until(() -> retries() >= 3);
        assertThat(delivering).isNotDone();

        TcpTestDestination server = server(port, Framing.LINE, true);

        delivering.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        assertThat(server.lines()).containsExactlyElementsOf(messages(1, 5));
        assertThat(server.accepted()).isEqualTo(1);
    }

    @Test
    void anErrReplyIsRetriedOnTheSameConnection() throws Exception {
        TcpTestDestination server = server(Framing.LINE, true);
        server.on(3, Reaction.ERR);
        DestinationConfig config = config(server.port(), Framing.LINE, TcpAck.LINE, null);

        deliver(config, 1, 5);

        assertThat(server.lines()).containsExactly("message 1", "message 2", "message 3", "message 3", "message 4",
                "message 5");
        assertThat(server.accepted()).isEqualTo(1);
        assertThat(retries()).isEqualTo(1);
    }

    @Test
    void noReplyWithinTheDeliveryTimeoutClosesTheConnectionAndRetriesOnANewOne() throws Exception {
        TcpTestDestination server = server(Framing.LINE, true);
        server.on(2, Reaction.SILENT);
        DestinationConfig config = config(server.port(), Framing.LINE, TcpAck.LINE, 300L);

        deliver(config, 1, 3);

        assertThat(server.lines()).containsExactly("message 1", "message 2", "message 2", "message 3");
        assertThat(server.accepted()).isEqualTo(2);
        await().atMost(DEADLINE).until(() -> server.ended() == 1);
    }

    @Test
    void anIdleConnectionTheDestinationClosedIsReopenedBeforeTheNextWriteWithoutAcks() throws Exception {
        TcpTestDestination server = server(Framing.LINE, false);
        server.on(3, Reaction.CLOSE);
        DestinationConfig config = config(server.port(), Framing.LINE, TcpAck.NONE, null);
        deliver(config, 1, 3);
        await().atMost(DEADLINE).until(() -> server.ended() == 1);

        deliver(config, 4, 6);

        await().atMost(DEADLINE).until(() -> server.frames().size() == 6);
        assertThat(server.lines()).containsExactlyElementsOf(messages(1, 6));
        assertThat(server.accepted()).isEqualTo(2);
        assertThat(retries()).isZero();
    }

    @Test
    void aLineBreakInALinePayloadIsUndeliverableAndNothingIsSent() {
        TcpTestDestination server = server(Framing.LINE, true);
        DestinationConfig config = config(server.port(), Framing.LINE, TcpAck.LINE, null);

        assertThatThrownBy(() -> channel.deliver(config, delivery(1, "one\ntwo"), RetryGuard.always()))
                .isInstanceOfSatisfying(DeliveryStoppedException.class, e -> {
                    assertThat(e.undeliverable()).isTrue();
                    assertThat(e.attemptsExhausted()).isFalse();
                });
        assertThat(server.accepted()).isZero();
    }

    @Test
    void aDestinationTheGuardRefusesIsRejectedPermanentlyWithoutEverBeingConnected() {
        TcpTestDestination server = server(Framing.LINE, true);
        TcpDeliveryChannel guarded = new TcpDeliveryChannel(retry, Guards.refusingLoopback(),
                DestinationTls.jdkDefault());
        DestinationConfig config = new DestinationConfig(DestinationType.TCP, null, "127.0.0.1", server.port(),
                Framing.LINE, TcpAck.LINE, List.of(), null, FailurePolicy.DEAD_LETTER, null, null, null, null, null, null);
        try {
            assertThatThrownBy(() -> guarded.deliver(config, delivery(1, "never sent"), RetryGuard.always()))
                    .isInstanceOfSatisfying(DeliveryStoppedException.class, e -> {
                        assertThat(e.permanentlyRejected()).isTrue();
                        // as a 4xx: the permanent attempts allowed (3), then the failure policy
                        assertThat(e.attempts()).isEqualTo(3);
                        assertThat(e.getMessage()).startsWith("refused by the destination guard: 127.0.0.1:"
                                + server.port() + " is a loopback address");
                    });
        } finally {
            guarded.destroy();
        }
        assertThat(server.accepted()).isZero();
    }

    @Test
    void aNewEndpointOrAReleaseClosesTheOldConnection() throws Exception {
        TcpTestDestination first = server(Framing.LINE, true);
        TcpTestDestination second = server(Framing.LINE, true);
        channel.deliver(config(first.port(), Framing.LINE, TcpAck.LINE, null), delivery(1, "message 1"),
                RetryGuard.always());

        channel.deliver(config(second.port(), Framing.LINE, TcpAck.LINE, null), delivery(2, "message 2"),
                RetryGuard.always());

        await().atMost(DEADLINE).until(() -> first.ended() == 1);
        assertThat(second.lines()).containsExactly("message 2");

        channel.release(DESTINATION);

        await().atMost(DEADLINE).until(() -> second.ended() == 1);
    }

    @Test
    void anInterruptWhileWaitingForTheAckEndsTheDeliveryPromptly() throws Exception {
        TcpTestDestination server = server(Framing.LINE, true);
        server.on(1, Reaction.SILENT);
        DestinationConfig config = config(server.port(), Framing.LINE, TcpAck.LINE, 600_000L);
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread leader = Thread.ofPlatform().start(() -> {
            try {
                channel.deliver(config, delivery(1, "message 1"), RetryGuard.always());
                outcome.complete(null);
            } catch (Throwable e) {
                outcome.complete(e);
            }
        });
        await().atMost(DEADLINE).until(() -> server.frames().size() == 1);

        leader.interrupt();

        assertThat(outcome.get(5, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
        await().atMost(DEADLINE).until(() -> server.ended() == 1);
    }

    @Test
    void overTlsLinesArriveInOrderOverOneVerifiedConnection() throws Exception {
        TcpDeliveryChannel secured = new TcpDeliveryChannel(retry, Guards.open(), TestTls.trusting(LOOPBACK_CERT));
        TcpTestDestination server = tlsServer(LOOPBACK_CERT, Framing.LINE, true);
        DestinationConfig config = tlsConfig(server.port(), TcpAck.LINE);
        try {
            for (int n = 1; n <= 20; n++) {
                secured.deliver(config, delivery(n, "message " + n), RetryGuard.always());
            }
        } finally {
            secured.destroy();
        }

        assertThat(server.lines()).containsExactlyElementsOf(messages(1, 20));
        assertThat(server.accepted()).isEqualTo(1);
        assertThat(retries()).isZero();
    }

    @Test
    void anIdleTlsConnectionTheDestinationClosedIsReopenedBeforeTheNextWriteWithoutAcks() throws Exception {
        TcpDeliveryChannel secured = new TcpDeliveryChannel(retry, Guards.open(), TestTls.trusting(LOOPBACK_CERT));
        TcpTestDestination server = tlsServer(LOOPBACK_CERT, Framing.LINE, false);
        server.on(3, Reaction.CLOSE);
        DestinationConfig config = tlsConfig(server.port(), TcpAck.NONE);
        try {
            for (int n = 1; n <= 3; n++) {
                secured.deliver(config, delivery(n, "message " + n), RetryGuard.always());
            }
            await().atMost(DEADLINE).until(() -> server.ended() == 1);

            for (int n = 4; n <= 6; n++) {
                secured.deliver(config, delivery(n, "message " + n), RetryGuard.always());
            }
        } finally {
            secured.destroy();
        }

        await().atMost(DEADLINE).until(() -> server.frames().size() == 6);
        assertThat(server.lines()).containsExactlyElementsOf(messages(1, 6));
        assertThat(server.accepted()).isEqualTo(2);
        assertThat(retries()).isZero();
    }

    @Test
    void aCertificateNotNamingTheHostFailsEveryAttemptLikeARefusedConnectionAndNothingIsSent() {
        TestCertificate localhostOnly = TestCertificate.selfSigned("localhost-only", "dns:localhost");
        TcpTestDestination server = tlsServer(localhostOnly, Framing.LINE, true);

        assertThat(failureOverTls(TestTls.trusting(localhostOnly), server.port()))
                .startsWith("TLS handshake failed: ").contains("127.0.0.1");
        assertThat(server.frames()).isEmpty();
    }

    @Test
    void anUntrustedCertificateFailsEveryAttemptLikeARefusedConnectionAndNothingIsSent() {
        TcpTestDestination server = tlsServer(LOOPBACK_CERT, Framing.LINE, true);
        TestCertificate other = TestCertificate.selfSigned("other", "ip:127.0.0.1");

        assertThat(failureOverTls(TestTls.trusting(other), server.port())).startsWith("TLS handshake failed: ");
        assertThat(server.frames()).isEmpty();
    }

    @Test
    void aBatchIsWrittenWholeBeforeAnyAckAndAcceptedOnceEveryFrameIsAcknowledgedInOrder() throws Exception {
        TcpTestDestination server = server(Framing.LINE, true);
        // No ack before the last frame arrived: waiting for each ack before the next write would time out.
        server.holdAcks(20);
        DestinationConfig config = config(server.port(), Framing.LINE, TcpAck.LINE, 5_000L);

        channel.deliverBatch(config, batch(1, 20), RetryGuard.always());

        assertThat(server.lines()).containsExactlyElementsOf(messages(1, 20));
        assertThat(retries()).isZero();

        // Every ack was read: the connection goes on with a single message and another batch.
        channel.deliverBatch(config, batch(21, 21), RetryGuard.always());
        channel.deliverBatch(config, batch(22, 30), RetryGuard.always());

        assertThat(server.lines()).containsExactlyElementsOf(messages(1, 30));
        assertThat(server.accepted()).isEqualTo(1);
        assertThat(retries()).isZero();
    }

    @Test
    void aBatchWithoutAcksIsWrittenBackToBackAsTheExactBytes() throws Exception {
        TcpTestDestination server = server(Framing.LENGTH_PREFIXED, false);
        DestinationConfig config = config(server.port(), Framing.LENGTH_PREFIXED, TcpAck.NONE, null);
        List<byte[]> payloads = List.of("first".getBytes(StandardCharsets.UTF_8), new byte[0],
                new byte[] {0, (byte) 0xff, 10, 13, 0}, new byte[70_000], "last".getBytes(StandardCharsets.UTF_8));
        List<Delivery> batch = IntStream.range(0, payloads.size()).mapToObj(i -> new Delivery(DESTINATION, i + 1,
                UUID.randomUUID(), "application/octet-stream", payloads.get(i))).toList();

        channel.deliverBatch(config, batch, RetryGuard.always());

        await().atMost(DEADLINE).until(() -> server.frames().size() == payloads.size());
        assertThat(server.frames()).extracting(HexFormat.of()::formatHex)
                .containsExactlyElementsOf(payloads.stream().map(HexFormat.of()::formatHex).toList());
        assertThat(server.accepted()).isEqualTo(1);
    }

    @Test
    void aConnectionClosedAfterSomeAcksFailsTheWholeBatchWhichIsSentAgainOnANewConnection() throws Exception {
        TcpTestDestination server = server(Framing.LINE, true);
        server.on(4, Reaction.CLOSE); // acks frames 1 to 3, then closes on reading the 4th
        DestinationConfig config = config(server.port(), Framing.LINE, TcpAck.LINE, null);

        channel.deliverBatch(config, batch(1, 8), RetryGuard.always());

        List<String> expected = new ArrayList<>(messages(1, 4));
        expected.addAll(messages(1, 8));
        assertThat(server.lines()).containsExactlyElementsOf(expected);
        assertThat(server.accepted()).isEqualTo(2);
        assertThat(retries()).isEqualTo(1);
    }

    @Test
    void anErrInTheMiddleOfABatchClosesTheConnectionAndTheWholeBatchIsSentAgain() throws Exception {
        TcpTestDestination server = server(Framing.LINE, true);
        server.on(2, Reaction.ERR);
        DestinationConfig config = config(server.port(), Framing.LINE, TcpAck.LINE, null);

        channel.deliverBatch(config, batch(1, 4), RetryGuard.always());

        // The acks of frames 3 and 4 were due on the first connection: the retry must not take them for its own.
        assertThat(server.accepted()).isEqualTo(2);
        assertThat(server.lines()).startsWith("message 1", "message 2").endsWith(messages(1, 4).toArray(String[]::new));
        assertThat(retries()).isEqualTo(1);
    }

    @Test
    void noAckWithinTheDeliveryTimeoutFailsTheBatchWhichIsSentAgainWholeOnANewConnection() throws Exception {
        TcpTestDestination server = server(Framing.LINE, true);
        server.on(3, Reaction.SILENT); // four acks for five frames: the fifth never comes
        DestinationConfig config = config(server.port(), Framing.LINE, TcpAck.LINE, 300L);

        channel.deliverBatch(config, batch(1, 5), RetryGuard.always());

        List<String> expected = new ArrayList<>(messages(1, 5));
        expected.addAll(messages(1, 5));
        assertThat(server.lines()).containsExactlyElementsOf(expected);
        assertThat(server.accepted()).isEqualTo(2);
        assertThat(retries()).isEqualTo(1);
        await().atMost(DEADLINE).until(() -> server.ended() == 1);
    }

    @Test
    void anAbortEndsABatchInFlightAtOnce() throws Exception {
        TcpTestDestination server = server(Framing.LINE, true);
        server.holdAcks(Integer.MAX_VALUE);
        DestinationConfig config = config(server.port(), Framing.LINE, TcpAck.LINE, 600_000L);
        AtomicBoolean stopping = new AtomicBoolean();
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread.ofPlatform().start(() -> {
            try {
                channel.deliverBatch(config, batch(1, 5), () -> !stopping.get());
                outcome.complete(null);
            } catch (Throwable e) {
                outcome.complete(e);
            }
        });
        await().atMost(DEADLINE).until(() -> server.frames().size() == 5);

        stopping.set(true);
        channel.abort(DESTINATION);

        assertThat(outcome.get(5, TimeUnit.SECONDS)).isInstanceOfSatisfying(DeliveryStoppedException.class,
                e -> assertThat(e.attemptsExhausted()).isFalse());
        await().atMost(DEADLINE).until(() -> server.ended() == 1);
        assertThat(server.frames()).hasSize(5);
    }

    @Test
    void aBatchOverTlsIsPipelinedOverOneVerifiedConnection() throws Exception {
        TcpDeliveryChannel secured = new TcpDeliveryChannel(retry, Guards.open(), TestTls.trusting(LOOPBACK_CERT));
        TcpTestDestination server = tlsServer(LOOPBACK_CERT, Framing.LINE, true);
        server.holdAcks(10);
        DestinationConfig config = new DestinationConfig(DestinationType.TCP, null, "127.0.0.1", server.port(),
                Framing.LINE, TcpAck.LINE, List.of(), null, null, null, null, 5_000L, null, true, null);
        try {
            secured.deliverBatch(config, batch(1, 10), RetryGuard.always());
        } finally {
            secured.destroy();
        }

        assertThat(server.lines()).containsExactlyElementsOf(messages(1, 10));
        assertThat(server.accepted()).isEqualTo(1);
        assertThat(retries()).isZero();
    }

    @Test
    void aBatchOfSeveralTheGuardRefusesStopsAfterThePermanentAttemptsWhateverThePolicy() {
        TcpTestDestination server = server(Framing.LINE, true);
        TcpDeliveryChannel guarded = new TcpDeliveryChannel(retry, Guards.refusingLoopback(),
                DestinationTls.jdkDefault());
        DestinationConfig config = new DestinationConfig(DestinationType.TCP, null, "127.0.0.1", server.port(),
                Framing.LINE, TcpAck.LINE, List.of(), null, FailurePolicy.BLOCK, null, null, null, null, null, null);
        try {
            // so that the caller can send them one at a time and find the one rejected
            assertThatThrownBy(() -> guarded.deliverBatch(config, batch(1, 3), RetryGuard.always()))
                    .isInstanceOfSatisfying(DeliveryStoppedException.class, e -> {
                        assertThat(e.permanentlyRejected()).isTrue();
                        assertThat(e.attempts()).isEqualTo(3);
                    });
        } finally {
            guarded.destroy();
        }
        assertThat(server.accepted()).isZero();
    }

    @Test
    void aBatchWithALineBreakInOnePayloadIsUndeliverableAndNothingIsSent() {
        TcpTestDestination server = server(Framing.LINE, true);
        DestinationConfig config = config(server.port(), Framing.LINE, TcpAck.LINE, null);
        List<Delivery> batch = List.of(delivery(1, "one"), delivery(2, "two\nlines"), delivery(3, "three"));

        assertThatThrownBy(() -> channel.deliverBatch(config, batch, RetryGuard.always()))
                .isInstanceOfSatisfying(DeliveryStoppedException.class, e -> {
                    assertThat(e.undeliverable()).isTrue();
                    assertThat(e.getMessage()).startsWith("sequence 2: ");
                });
        assertThat(server.accepted()).isZero();
    }

    /** Delivers one message to a TLS destination with three attempts allowed; returns why they all failed. */
    private String failureOverTls(DestinationTls tls, int port) {
        DeliveryRetry threeAttempts = new DeliveryRetry(BoundEgressProperties.of(
                "reseq.egress.retry.initial-delay", "5ms", "reseq.egress.retry.max-delay", "20ms",
                "reseq.egress.retry.max-attempts", "3"), new DeliveryMetrics(registry));
        TcpDeliveryChannel secured = new TcpDeliveryChannel(threeAttempts, Guards.open(), tls);
        try {
            Throwable failure = catchThrowable(() -> secured.deliver(tlsConfig(port, TcpAck.LINE),
                    delivery(1, "never sent"), RetryGuard.always()));
            assertThat(failure).isInstanceOfSatisfying(DeliveryStoppedException.class, e -> {
                assertThat(e.attemptsExhausted()).isTrue();
                assertThat(e.permanentlyRejected()).isFalse();
                assertThat(e.getMessage()).startsWith("gave up after 3 attempts, the last: ");
            });
            assertThat(retries()).isEqualTo(2);
            return failure.getMessage().substring("gave up after 3 attempts, the last: ".length());
        } finally {
            secured.destroy();
        }
    }

    private TcpTestDestination tlsServer(TestCertificate certificate, Framing framing, boolean replies) {
        TcpTestDestination server = TcpTestDestination.overTls(framing, replies, TestCertificate.context(certificate));
        servers.add(server);
        return server;
    }

    private static DestinationConfig tlsConfig(int port, TcpAck ack) {
        return new DestinationConfig(DestinationType.TCP, null, "127.0.0.1", port, Framing.LINE, ack, List.of(), null,
                null, null, null, null, null, true, null);
    }

    private void deliver(DestinationConfig config, int from, int to) throws Exception {
        for (int n = from; n <= to; n++) {
            channel.deliver(config, delivery(n, "message " + n), RetryGuard.always());
        }
    }

    private TcpTestDestination server(Framing framing, boolean replies) {
        return server(0, framing, replies);
    }

    private TcpTestDestination server(int port, Framing framing, boolean replies) {
        TcpTestDestination server = new TcpTestDestination(port, framing, replies);
        servers.add(server);
        return server;
    }

    private static DestinationConfig config(int port, Framing framing, TcpAck ack, Long deliveryTimeoutMs) {
        return new DestinationConfig(DestinationType.TCP, null, "127.0.0.1", port, framing, ack, List.of(), null,
                null, null, null, deliveryTimeoutMs, null, null, null);
    }

    private static Delivery delivery(long sequence, String text) {
        return new Delivery(DESTINATION, sequence, UUID.randomUUID(), "text/plain",
                text.getBytes(StandardCharsets.UTF_8));
    }

    private static List<Delivery> batch(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(n -> delivery(n, "message " + n)).toList();
    }

    private static List<String> messages(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(n -> "message " + n).toList();
    }

    private double retries() {
        var counter = registry.find("reseq.egress.retries").tag("destination", DESTINATION).counter();
        return counter == null ? 0 : counter.count();
    }
}
