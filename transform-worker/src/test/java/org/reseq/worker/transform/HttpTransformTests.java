package org.reseq.worker.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
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

    private Transform http(long timeoutMs) {
        return transforms.create(new TransformSpec.Http(stub.url(), timeoutMs));
    }
}
