package org.reseq.worker.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.reseq.model.destination.TransformSpec;
import org.reseq.model.http.BlockingHttp;
import org.reseq.transform.PermanentTransformException;
import org.reseq.transform.RetryLaterException;
import org.reseq.transform.Transform;
import org.reseq.transform.TransformException;
import org.reseq.transform.TransformRequest;
import org.reseq.transform.TransformResponse;
import org.reseq.worker.plugin.Plugins;
import org.reseq.worker.transform.StubHttpServer.Answer;

class HttpTransformTests {

    private static final UUID MESSAGE_ID = UUID.randomUUID();
    private static final TransformRequest INPUT = new TransformRequest("hello".getBytes(StandardCharsets.UTF_8), "text/plain; charset=utf-8", Map.of(), "orders", 41, MESSAGE_ID);

    private final Transforms transforms = Transforms.withDefaults(TestGuards.open(), 1024 * 1024);
    private final CountDownLatch releaseHungAnswers = new CountDownLatch(1);
    private StubHttpServer stub;

    @AfterEach
    void stop() {
        releaseHungAnswers.countDown();
        if (stub != null) {
            stub.close();
        }
        transforms.close();
    }

    @Test
    void aSuccessfulAnswerReplacesThePayloadAndItsContentType() throws Exception {
        stub = new StubHttpServer((n, request) -> new Answer(200, "application/json",
                ("{\"upper\":\"" + new String(request.body(), StandardCharsets.UTF_8).toUpperCase(Locale.ROOT) + "\"}")
                        .getBytes(StandardCharsets.UTF_8)));

        TransformResponse output = http(5_000).apply(INPUT);

        assertThat(new String(output.payload(), StandardCharsets.UTF_8)).isEqualTo("{\"upper\":\"HELLO\"}");
        assertThat(output.contentType()).isEqualTo("application/json");
    }

    @Test
    void postsThePayloadWithItsContentTypeAndTheReseqHeaders() throws Exception {
        stub = new StubHttpServer((n, request) -> new Answer(204, null, null));

        http(5_000).apply(INPUT);

        assertThat(stub.received()).singleElement().satisfies(request -> {
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.body()).isEqualTo(INPUT.payload());
            assertThat(request.headers().getFirst("Content-Type")).isEqualTo("text/plain; charset=utf-8");
            assertThat(request.headers().getFirst("Reseq-Destination")).isEqualTo("orders");
            assertThat(request.headers().getFirst("Reseq-Sequence")).isEqualTo("41");
            assertThat(request.headers().getFirst("Reseq-Message-Id")).isEqualTo(MESSAGE_ID.toString());
        });
    }

    @Test
    void travellingHeadersAreSentAsThemselvesAndNamedInReseqHeaders() throws Exception {
        stub = new StubHttpServer((n, request) -> new Answer(200, "text/plain", new byte[] {1}));
        TransformRequest withHeaders = new TransformRequest(INPUT.payload(), INPUT.contentType(),
                Map.of("X-Correlation-Id", "c-1"), "orders", 41, MESSAGE_ID);

        TransformResponse output = http(5_000).apply(withHeaders);

        assertThat(stub.received()).singleElement().satisfies(request -> {
            assertThat(request.headers().getFirst("X-Correlation-Id")).isEqualTo("c-1");
            assertThat(request.headers().getFirst("Reseq-Headers")).isEqualTo("X-Correlation-Id");
        });
        assertThat(output.headers()).as("an answer without Reseq-Headers leaves them")
                .containsExactly(Map.entry("X-Correlation-Id", "c-1"));
    }

    @Test
    void anAnswerNamingHeadersInReseqHeadersReplacesThem() throws Exception {
        stub = new StubHttpServer((n, request) -> new Answer(200, "text/plain", new byte[] {1},
                Map.of("Reseq-Headers", "X-Tenant, X-Region", "X-Tenant", "acme", "X-Region", "eu", "X-Other", "no")));

        TransformResponse output = http(5_000).apply(new TransformRequest(INPUT.payload(), INPUT.contentType(),
                Map.of("X-Correlation-Id", "c-1"), "orders", 41, MESSAGE_ID));

        assertThat(output.headers()).containsExactly(Map.entry("X-Tenant", "acme"), Map.entry("X-Region", "eu"));
    }

    @Test
    void anAnswerNamingAHeaderItLacksFailsForGood() {
        stub = new StubHttpServer((n, request) -> new Answer(200, "text/plain", new byte[] {1},
                Map.of("Reseq-Headers", "X-Tenant")));

        assertThatThrownBy(() -> http(5_000).apply(INPUT))
                .isInstanceOf(PermanentTransformException.class)
                .hasMessageContaining("naming 'X-Tenant' without such a header");
    }

    @Test
    void anAnswerWithoutContentTypeIsOctetStream() throws Exception {
        stub = new StubHttpServer((n, request) -> new Answer(200, null, new byte[] {1, 2, 3}));

        TransformResponse output = http(5_000).apply(INPUT);

        assertThat(output.payload()).containsExactly(1, 2, 3);
        assertThat(output.contentType()).isEqualTo("application/octet-stream");
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 403, 404, 409, 413, 415, 422, 499})
    void aClientErrorFailsForGoodWithTheUrlStatusAndBody(int status) {
        stub = new StubHttpServer((n, request) -> new Answer(status, "text/plain",
                "missing field".getBytes(StandardCharsets.UTF_8)));

        assertThatThrownBy(() -> http(5_000).apply(INPUT))
                .isInstanceOf(PermanentTransformException.class)
                .hasMessage("http transform " + stub.url() + " answered " + status + ": missing field");
    }

    @ParameterizedTest
    @ValueSource(ints = {408, 429, 500, 502, 503, 504, 302})
    void aTimeoutThrottlingServerErrorOrRedirectMayBeRetried(int status) {
        stub = new StubHttpServer((n, request) -> new Answer(status, "text/plain",
                "busy".getBytes(StandardCharsets.UTF_8)));

        assertThatThrownBy(() -> http(5_000).apply(INPUT))
                .isExactlyInstanceOf(TransformException.class)
                .hasMessage("http transform " + stub.url() + " answered " + status + ": busy");
    }

    @ParameterizedTest
    @ValueSource(ints = {429, 503})
    void aRetryAfterInSecondsOnThrottlingOrUnavailableSaysWhenToTryAgain(int status) {
        stub = new StubHttpServer((n, request) -> new Answer(status, null, null, Map.of("Retry-After", "7")));

        assertThatThrownBy(() -> http(5_000).apply(INPUT))
                .isInstanceOfSatisfying(RetryLaterException.class, later -> {
                    assertThat(later.retryAfter()).isEqualTo(Duration.ofSeconds(7));
                    assertThat(later).hasMessage("http transform " + stub.url() + " answered " + status);
                });
    }

    @Test
    void aRetryAfterDateIsCountedFromTheClock() {
        Instant now = Instant.parse("2026-11-02T10:15:30Z");
        stub = new StubHttpServer((n, request) -> new Answer(503, null, null,
                Map.of("Retry-After", "Mon, 02 Nov 2026 10:16:00 GMT")));

        try (Transforms clocked = new Transforms(BlockingHttp.newClient(TestGuards.open()), Sleeper.THREAD,
                Clock.fixed(now, ZoneOffset.UTC), 1024, JsonataLimits.DEFAULTS, Plugins.NONE)) {
            assertThatThrownBy(() -> clocked.create(new TransformSpec.Http(stub.url(), 5_000L)).apply(INPUT))
                    .isInstanceOfSatisfying(RetryLaterException.class,
                            later -> assertThat(later.retryAfter()).isEqualTo(Duration.ofSeconds(30)));
        }
    }

    @Test
    void aRetryAfterOnOtherStatusesOrUnreadableIsIgnored() {
        stub = new StubHttpServer((n, request) -> n == 1
                ? new Answer(500, null, null, Map.of("Retry-After", "7"))
                : new Answer(429, null, null, Map.of("Retry-After", "soon")));

        assertThatThrownBy(() -> http(5_000).apply(INPUT)).isExactlyInstanceOf(TransformException.class);
        assertThatThrownBy(() -> http(5_000).apply(INPUT)).isExactlyInstanceOf(TransformException.class);
    }

    @Test
    void noAnswerWithinTheTimeoutFails() {
        stub = new StubHttpServer((n, request) -> {
            releaseHungAnswers.await();
            return new Answer(200, null, null);
        });

        assertThatThrownBy(() -> http(200).apply(INPUT))
                .isInstanceOf(TransformException.class)
                .hasMessage("http transform " + stub.url() + " did not answer within 200 ms");
    }

    @Test
    void anUnreachableEndpointFailsWithTheReason() {
        stub = new StubHttpServer((n, request) -> new Answer(200, null, null));
        String url = stub.url();
        stub.close();

        assertThatThrownBy(() -> transforms.create(new TransformSpec.Http(url, 2_000L)).apply(INPUT))
                .isInstanceOf(TransformException.class)
                .hasMessageStartingWith("http transform " + url + " failed: ");
    }

    @Test
    void sendsTheContentTypeExactlyAsGivenAndOnce() throws Exception {
        stub = new StubHttpServer((n, request) -> new Answer(204, null, null));
        String contentType = "Application/Vnd.Reseq+JSON;charset=ISO-8859-1;  profile=\"a b\"";

        http(5_000).apply(new TransformRequest(INPUT.payload(), contentType, Map.of(), "orders", 41, MESSAGE_ID));

        assertThat(stub.received()).singleElement()
                .satisfies(request -> assertThat(request.headers().get("Content-Type")).containsExactly(contentType));
    }

    @Test
    void aMessageWithoutContentTypeIsSentAsOctetStream() throws Exception {
        stub = new StubHttpServer((n, request) -> new Answer(204, null, null));

        http(5_000).apply(new TransformRequest(INPUT.payload(), null, Map.of(), "orders", 41, MESSAGE_ID));

        assertThat(stub.received()).singleElement().satisfies(request ->
                assertThat(request.headers().get("Content-Type")).containsExactly("application/octet-stream"));
    }

    @Test
    void aRedirectIsAnAnswerThatFails() {
        stub = new StubHttpServer((n, request) -> n == 1
                ? new Answer(302, null, null, Map.of("Location", stub.url() + "/elsewhere"))
                : new Answer(200, "text/plain", "followed".getBytes(StandardCharsets.UTF_8)));

        assertThatThrownBy(() -> http(5_000).apply(INPUT))
                .isInstanceOf(TransformException.class)
                .hasMessage("http transform " + stub.url() + " answered 302");
        assertThat(stub.received()).hasSize(1);
    }

    @Test
    void aHeaderThatCannotBeSentFailsBeforeSending() {
        stub = new StubHttpServer((n, request) -> new Answer(204, null, null));

        assertThatThrownBy(() -> http(5_000).apply(
                new TransformRequest(INPUT.payload(), "text/plain\r\nX-Injected: 1", Map.of(), "orders", 41, MESSAGE_ID)))
                .isInstanceOf(TransformException.class)
                .hasMessageStartingWith("http transform " + stub.url() + " cannot send this message: ");
        assertThat(stub.received()).isEmpty();
    }

    @Test
    void anInterruptEndsAHungCallAtOnce() {
        stub = new StubHttpServer((n, request) -> {
            releaseHungAnswers.await();
            return new Answer(200, null, null);
        });
        Transform transform = http(60_000);
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        Thread caller = Thread.ofVirtual().start(() -> {
            try {
                transform.apply(INPUT);
            } catch (Throwable e) {
                outcome.set(e);
            }
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> stub.received().size() == 1);

        caller.interrupt();

        await().atMost(Duration.ofSeconds(5)).until(() -> !caller.isAlive());
        assertThat(outcome.get()).isInstanceOf(InterruptedException.class);
    }

    @Test
    void aConnectionIsReusedForTheNextCall() throws Exception {
        stub = new StubHttpServer((n, request) -> new Answer(200, "text/plain",
                ("answer " + n).getBytes(StandardCharsets.UTF_8)));
        Transform transform = http(5_000);

        transform.apply(INPUT);
        transform.apply(INPUT);

        assertThat(stub.connections()).isEqualTo(1);
    }

    @Test
    void aUrlTheGuardRefusesFailsForGoodWithNothingSentAndNoSecretShown() {
        stub = new StubHttpServer((n, request) -> new Answer(200, null, null));
        int port = java.net.URI.create(stub.url()).getPort();

        try (Transforms guarded = Transforms.withDefaults(TestGuards.refusingLoopback(), 1024)) {
            Transform transform = guarded.create(new TransformSpec.Http(
                    "http://127.0.0.1:" + port + "/transform?token=secret#part", 5_000L));

            assertThatThrownBy(() -> transform.apply(INPUT))
                    .isInstanceOf(PermanentTransformException.class)
                    .hasMessage("http transform http://127.0.0.1:" + port + "/transform?token=***#*** refused by the"
                            + " destination"
                            + " guard: 127.0.0.1:" + port + " is a loopback address, refused while"
                            + " reseq.security.enabled is true unless reseq.security.destinations.allow names it")
                    .hasMessageNotContaining("secret");
        }
        assertThat(stub.received()).isEmpty();
    }

    @Test
    void aUrlWithUserInformationIsNeverSentAndItsSecretsAreNotShown() {
        stub = new StubHttpServer((n, request) -> new Answer(200, null, null));
        Transform transform = transforms.create(new TransformSpec.Http(
                stub.url().replace("http://", "http://user:pa55@") + "?token=s3cret", 5_000L));

        assertThatThrownBy(() -> transform.apply(INPUT))
                .isInstanceOf(TransformException.class)
                .hasMessageStartingWith("http transform http://***@127.0.0.1:")
                .hasMessageContaining("?token=*** cannot send this message: its user information is never sent")
                .hasMessageNotContaining("pa55").hasMessageNotContaining("s3cret");
        assertThat(stub.received()).isEmpty();
    }

    @Test
    void aFailedConnectionShowsTheUrlMasked() throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        Transform transform = transforms.create(new TransformSpec.Http(
                "http://127.0.0.1:" + closedPort + "/t?token=s3cret", 5_000L));

        assertThatThrownBy(() -> transform.apply(INPUT))
                .isInstanceOf(TransformException.class)
                .hasMessageStartingWith("http transform http://127.0.0.1:" + closedPort + "/t?token=*** failed: ")
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void anAnswerOfExactlyTheLimitIsTaken() throws Exception {
        stub = new StubHttpServer((n, request) -> new Answer(200, "text/plain", new byte[16]));

        try (Transforms limited = Transforms.withDefaults(TestGuards.open(), 16)) {
            assertThat(limited.create(new TransformSpec.Http(stub.url(), 5_000L)).apply(INPUT).payload()).hasSize(16);
        }
    }

    @Test
    void anAnswerOverTheLimitFailsForGoodAndTheNextCallWorks() throws Exception {
        stub = new StubHttpServer((n, request) -> new Answer(200, "text/plain", new byte[n == 1 ? 17 : 3]));

        try (Transforms limited = Transforms.withDefaults(TestGuards.open(), 16)) {
            Transform transform = limited.create(new TransformSpec.Http(stub.url(), 5_000L));

            assertThatThrownBy(() -> transform.apply(INPUT))
                    .isInstanceOf(PermanentTransformException.class)
                    .hasMessage("http transform " + stub.url()
                            + ": response of 17 bytes is over the limit of 16 bytes");
            assertThat(transform.apply(INPUT).payload()).hasSize(3);
        }
    }

    @Test
    void anEndlessAnswerIsReadNoFurtherThanTheLimitAndItsConnectionClosed() throws Exception {
        AtomicLong sent = new AtomicLong();
        CountDownLatch hungUp = new CountDownLatch(1);
        HttpServer endless = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        endless.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        endless.createContext("/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                // Length 0: chunked, so the client cannot know the size in advance.
                exchange.sendResponseHeaders(200, 0);
                OutputStream body = exchange.getResponseBody();
                byte[] chunk = new byte[8192];
                while (sent.get() < 1L << 30) {
                    body.write(chunk);
                    sent.addAndGet(chunk.length);
                }
            } catch (IOException e) {
                hungUp.countDown();
            }
        });
        endless.start();
        String url = "http://127.0.0.1:" + endless.getAddress().getPort() + "/transform";
        try (Transforms limited = Transforms.withDefaults(TestGuards.open(), 1024)) {
            Transform transform = limited.create(new TransformSpec.Http(url, 30_000L));

            assertThatThrownBy(() -> transform.apply(INPUT))
                    .isInstanceOf(PermanentTransformException.class)
                    .hasMessage("http transform " + url + ": response of more than 1024 bytes is over the limit of "
                            + "1024 bytes");
            await().atMost(Duration.ofSeconds(10)).until(() -> hungUp.getCount() == 0);
            // What the socket buffers took, not the gigabyte a drained connection would have read.
            assertThat(sent.get()).isLessThan(64L * 1024 * 1024);
        } finally {
            endless.stop(0);
        }
    }

    @Test
    void aClientErrorOverTheLimitFailsForGoodByItsStatus() {
        stub = new StubHttpServer((n, request) -> new Answer(400, "text/plain", new byte[100]));

        try (Transforms limited = Transforms.withDefaults(TestGuards.open(), 16)) {
            assertThatThrownBy(() -> limited.create(new TransformSpec.Http(stub.url(), 5_000L)).apply(INPUT))
                    .isExactlyInstanceOf(PermanentTransformException.class)
                    .hasMessage("http transform " + stub.url() + " answered 400");
        }
    }

    @Test
    void anUnsuccessfulAnswerOverTheLimitFailsByItsStatusAndMayBeRetried() {
        stub = new StubHttpServer((n, request) -> new Answer(503, "text/plain", new byte[100]));

        try (Transforms limited = Transforms.withDefaults(TestGuards.open(), 16)) {
            assertThatThrownBy(() -> limited.create(new TransformSpec.Http(stub.url(), 5_000L)).apply(INPUT))
                    .isExactlyInstanceOf(TransformException.class)
                    .hasMessage("http transform " + stub.url() + " answered 503");
        }
    }

    private Transform http(long timeoutMs) {
        return transforms.create(new TransformSpec.Http(stub.url(), timeoutMs));
    }
}
