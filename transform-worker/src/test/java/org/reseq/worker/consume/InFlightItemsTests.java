package org.reseq.worker.consume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class InFlightItemsTests {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final InFlightItems items = new InFlightItems(10, new WorkerMetrics(registry));

    @Test
    void reservesAtMostTheReadLimit() throws Exception {
        assertThat(items.reserve(4, Duration.ZERO)).isEqualTo(4);
    }

    @Test
    void reservesNoMoreThanAreFree() throws Exception {
        assertThat(items.reserve(8, Duration.ZERO)).isEqualTo(8);

        assertThat(items.reserve(8, Duration.ZERO)).isEqualTo(2);
        assertThat(items.reserve(8, Duration.ZERO)).isZero();
    }

    @Test
    void unusedReservationsCanBeReservedAgain() throws Exception {
        int reserved = items.reserve(10, Duration.ZERO);

        items.release(reserved - 3);

        assertThat(items.reserve(10, Duration.ZERO)).isEqualTo(7);
    }

    @Test
    void aFinishedItemReturnsItsPermitAndLeavesTheRegistry() throws Exception {
        CountDownLatch finish = new CountDownLatch(1);
        items.reserve(10, Duration.ZERO);
        items.start(new WorkRecord("1-0", new byte[0]), record -> finish.await());

        assertThat(items.isRunning("1-0")).isTrue();
        assertThat(registry.get("reseq.worker.in-flight").gauge().value()).isEqualTo(1);
        finish.countDown();

        await().atMost(Duration.ofSeconds(5)).until(() -> !items.isRunning("1-0"));
        items.release(9);
        assertThat(items.reserve(10, Duration.ZERO)).isEqualTo(10);
        assertThat(registry.get("reseq.worker.in-flight").gauge().value()).isZero();
        assertThat(registry.get("reseq.worker.in-flight.peak").gauge().value()).isEqualTo(1);
    }

    @Test
    void shutdownWaitsForItemsThenInterruptsTheRest() throws Exception {
        AtomicBoolean interrupted = new AtomicBoolean();
        items.reserve(1, Duration.ZERO);
        items.start(new WorkRecord("2-0", new byte[0]), record -> {
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted.set(true);
                throw e;
            }
        });

        assertThat(items.awaitIdle(Duration.ofMillis(50))).isFalse();
        assertThat(items.interruptAll()).isEqualTo(1);

        assertThat(items.awaitIdle(Duration.ofSeconds(5))).isTrue();
        assertThat(interrupted).isTrue();
    }

    @Test
    void aFailingItemStillReturnsItsPermit() throws Exception {
        items.reserve(1, Duration.ZERO);
        items.start(new WorkRecord("3-0", new byte[0]), record -> {
            throw new IllegalStateException("Redis is down");
        });

        assertThat(items.awaitIdle(Duration.ofSeconds(5))).isTrue();
    }
}
