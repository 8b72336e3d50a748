package org.reseq.worker.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.reseq.model.destination.TransformSpec;
import org.reseq.worker.transform.StubHttpServer.Answer;

class HttpTransformTests {

    private static final UUID MESSAGE_ID = UUID.randomUUID();
    private static final TransformInput INPUT = new TransformInput("hello".getBytes(StandardCharsets.UTF_8),
            "text/plain; charset=utf-8", "orders", 41, MESSAGE_ID);

    private final Transforms transforms = Transforms.withDefaults();
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

        TransformOutput output = http(5_000).apply(INPUT);

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
    void anAnswerWithoutContentTypeIsOctetStream() throws Exception {
        stub = new StubHttpServer((n, request) -> new Answer(200, null, new byte[] {1, 2, 3}));

        TransformOutput output = http(5_000).apply(INPUT);

        assertThat(output.payload()).containsExactly(1, 2, 3);
        assertThat(output.contentType()).isEqualTo("application/octet-stream");
    }

    @Test
    void aNon2xxAnswerFailsWithTheUrlStatusAndBody() {
        stub = new StubHttpServer((n, request) -> new Answer(422, "text/plain",
                "missing field".getBytes(StandardCharsets.UTF_8)));

        assertThatThrownBy(() -> http(5_000).apply(INPUT))
                .isInstanceOf(TransformException.class)
                .hasMessage("http transform " + stub.url() + " answered 422: missing field");
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

        http(5_000).apply(new TransformInput(INPUT.payload(), contentType, "orders", 41, MESSAGE_ID));

        assertThat(stub.received()).singleElement()
                .satisfies(request -> assertThat(request.headers().get("Content-Type")).containsExactly(contentType));
    }

    @Test
    void aMessageWithoutContentTypeIsSentAsOctetStream() throws Exception {
        stub = new StubHttpServer((n, request) -> new Answer(204, null, null));

        http(5_000).apply(new TransformInput(INPUT.payload(), null, "orders", 41, MESSAGE_ID));

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
                new TransformInput(INPUT.payload(), "text/plain\r\nX-Injected: 1", "orders", 41, MESSAGE_ID)))
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

    private Transform http(long timeoutMs) {
        return transforms.create(new TransformSpec.Http(stub.url(), timeoutMs));
    }
}
