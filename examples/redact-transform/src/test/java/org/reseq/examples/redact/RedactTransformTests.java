package org.reseq.examples.redact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.reseq.transform.PermanentTransformException;
import org.reseq.transform.Transform;
import org.reseq.transform.TransformFactory;
import org.reseq.transform.TransformRequest;
import org.reseq.transform.TransformResponse;

class RedactTransformTests {

    private final RedactTransformFactory factory = new RedactTransformFactory();

    @Test
    void theFactoryIsFoundByServiceLoader() {
        assertThat(ServiceLoader.load(TransformFactory.class).stream().map(ServiceLoader.Provider::type))
                .contains(RedactTransformFactory.class);
        assertThat(factory.type()).isEqualTo("redact");
    }

    @Test
    void masksEveryMatchKeepingTheLastCharactersAndTheHeaders() throws Exception {
        Transform redact = factory.create(Map.of("pattern", "\\b\\d{13,16}\\b", "replacement", "****",
                "keepLast", 4));

        TransformResponse response = redact.apply(request("{\"card\":\"4111111111111111\",\"alt\":\"5500000000000004\"}"));

        assertThat(new String(response.payload(), StandardCharsets.UTF_8))
                .isEqualTo("{\"card\":\"****1111\",\"alt\":\"****0004\"}");
        assertThat(response.contentType()).isEqualTo("application/json");
        assertThat(response.headers()).containsEntry("X-Tenant", "acme");
    }

    @Test
    void theDefaultsMaskWholeMatches() throws Exception {
        Transform redact = factory.create(Map.of("pattern", "secret-\\w+"));

        assertThat(new String(redact.apply(request("a secret-one and secret-two")).payload(), StandardCharsets.UTF_8))
                .isEqualTo("a *** and ***");
    }

    @Test
    void aPatternThatIsNotOneIsRefusedAtCreation() {
        assertThatThrownBy(() -> factory.create(Map.of("pattern", "(unclosed")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("pattern is not a regular expression");
    }

    @Test
    void aPayloadThatIsNotUtf8FailsForGood() {
        Transform redact = factory.create(Map.of("pattern", "x"));
        TransformRequest binary = new TransformRequest(new byte[] {(byte) 0xc3, 0x28}, "application/octet-stream",
                Map.of(), "cards", 1, UUID.randomUUID());

        assertThatThrownBy(() -> redact.apply(binary)).isInstanceOf(PermanentTransformException.class);
    }

    @Test
    void aBacktrackingPatternStopsWhenItsThreadIsInterrupted() {
        Transform redact = factory.create(Map.of("pattern", "(.*a){30}"));
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread attempt = Thread.ofVirtual().start(() -> {
            try {
                redact.apply(request("a".repeat(60) + "c"));
            } catch (Throwable e) {
                failure.set(e);
            }
        });

        // Interrupted once it runs, as the worker does when an attempt times out mid-match.
        await().atMost(Duration.ofSeconds(5)).until(() -> attempt.getState() == Thread.State.RUNNABLE);
        attempt.interrupt();
        await().atMost(Duration.ofSeconds(5)).until(() -> !attempt.isAlive());

        assertThat(attempt.isAlive()).isFalse();
        assertThat(failure.get()).hasMessageContaining("interrupted");
    }

    private static TransformRequest request(String payload) {
        return new TransformRequest(payload.getBytes(StandardCharsets.UTF_8), "application/json",
                Map.of("X-Tenant", "acme"), "cards", 7, UUID.randomUUID());
    }
}
