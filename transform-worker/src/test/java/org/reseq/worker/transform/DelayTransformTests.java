package org.reseq.worker.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.reseq.model.destination.TransformSpec;
import org.reseq.transform.TransformRequest;
import org.reseq.transform.TransformResponse;

class DelayTransformTests {

    private static final TransformRequest INPUT = new TransformRequest("hello".getBytes(StandardCharsets.UTF_8), "text/plain", Map.of(), "orders", 7, UUID.randomUUID());

    @Test
    void waitsAUniformlyRandomTimeWithinTheRangeAndKeepsThePayload() throws Exception {
        List<Duration> waits = new CopyOnWriteArrayList<>();
        DelayTransform delay = new DelayTransform(new TransformSpec.Delay(10L, 20L), waits::add);

        for (int i = 0; i < 1_000; i++) {
            TransformResponse output = delay.apply(INPUT);
            assertThat(output.payload()).isEqualTo(INPUT.payload());
            assertThat(output.contentType()).isEqualTo("text/plain");
        }

        assertThat(waits).hasSize(1_000)
                .allSatisfy(wait -> assertThat(wait.toMillis()).isBetween(10L, 20L));
        // Both ends of the range are reachable (a miss in 1000 draws has odds below 1e-40).
        assertThat(waits).contains(Duration.ofMillis(10), Duration.ofMillis(20));
    }

    @Test
    void equalBoundsWaitExactlyThatLong() throws Exception {
        List<Duration> waits = new CopyOnWriteArrayList<>();
        DelayTransform delay = new DelayTransform(new TransformSpec.Delay(5L, 5L), waits::add);

        delay.apply(INPUT);
        delay.apply(INPUT);

        assertThat(waits).containsExactly(Duration.ofMillis(5), Duration.ofMillis(5));
    }

    @Test
    void zeroDelayDoesNotWaitAtAll() throws Exception {
        List<Duration> waits = new CopyOnWriteArrayList<>();
        new DelayTransform(new TransformSpec.Delay(0L, 0L), waits::add).apply(INPUT);

        assertThat(waits).isEmpty();
    }

    @Test
    void anInterruptedWaitGivesUpAtOnce() {
        DelayTransform hourLong = new DelayTransform(new TransformSpec.Delay(3_600_000L, 3_600_000L), Sleeper.THREAD);
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        Thread thread = Thread.ofVirtual().start(() -> {
            try {
                hourLong.apply(INPUT);
            } catch (Throwable t) {
                outcome.set(t);
            }
        });

        thread.interrupt();

        await().atMost(Duration.ofSeconds(5)).until(() -> !thread.isAlive());
        assertThat(outcome.get()).isInstanceOf(InterruptedException.class);
    }
}
