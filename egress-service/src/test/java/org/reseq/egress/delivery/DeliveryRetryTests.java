package org.reseq.egress.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.reseq.egress.EgressProperties;

class DeliveryRetryTests {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private DeliveryRetry retry(Duration initialDelay, long maxAttempts) {
        EgressProperties properties = new EgressProperties(new EgressProperties.Egress(null, null,
                new EgressProperties.Retry(initialDelay, 2.0, Duration.ofSeconds(30), maxAttempts), null), null, "test");
        return new DeliveryRetry(properties, new DeliveryMetrics(registry));
    }

    @Test
    void retriesUntilAnAttemptIsAcceptedAndCountsTheRetries() throws Exception {
        AtomicInteger attempts = new AtomicInteger();

        retry(Duration.ofMillis(1), Long.MAX_VALUE).run("orders", () -> {
            if (attempts.incrementAndGet() < 4) {
                throw new DeliveryAttemptFailedException("answered HTTP 503");
            }
        }, RetryGuard.always());

        assertThat(attempts).hasValue(4);
        assertThat(registry.get("reseq.egress.retries").tag("destination", "orders").counter().count()).isEqualTo(3);
    }

    @Test
    void stopsWhenTheGuardSaysSoWithoutAnotherAttempt() {
        AtomicInteger attempts = new AtomicInteger();

        assertThatThrownBy(() -> retry(Duration.ofMillis(1), Long.MAX_VALUE).run("orders", () -> {
            attempts.incrementAndGet();
            throw new DeliveryAttemptFailedException("answered HTTP 503");
        }, () -> false))
                .isInstanceOfSatisfying(DeliveryStoppedException.class,
                        e -> assertThat(e.attemptsExhausted()).isFalse());
        assertThat(attempts).hasValue(1);
    }

    @Test
    void givesUpAfterTheConfiguredAttempts() {
        AtomicInteger attempts = new AtomicInteger();

        assertThatThrownBy(() -> retry(Duration.ofMillis(1), 3).run("orders", () -> {
            attempts.incrementAndGet();
            throw new DeliveryAttemptFailedException("answered HTTP 500");
        }, RetryGuard.always()))
                .isInstanceOfSatisfying(DeliveryStoppedException.class, e -> {
                    assertThat(e.attemptsExhausted()).isTrue();
                    assertThat(e.getMessage()).contains("3 attempts", "HTTP 500");
                });
        assertThat(attempts).hasValue(3);
    }

    @Test
    void whatTheGuardThrowsPassesThroughUnchanged() {
        IllegalStateException lost = new IllegalStateException("lease lost");

        assertThatThrownBy(() -> retry(Duration.ofMillis(1), Long.MAX_VALUE).run("orders", () -> {
            throw new DeliveryAttemptFailedException("answered HTTP 503");
        }, () -> {
            throw lost;
        })).isSameAs(lost);
    }

    @Test
    void otherFailuresOfAnAttemptAreNotRetried() {
        AtomicInteger attempts = new AtomicInteger();

        assertThatThrownBy(() -> retry(Duration.ofMillis(1), Long.MAX_VALUE).run("orders", () -> {
            attempts.incrementAndGet();
            throw new IllegalArgumentException("bad url");
        }, RetryGuard.always())).isInstanceOf(IllegalArgumentException.class);
        assertThat(attempts).hasValue(1);
    }

    @Test
    void anInterruptEndsALongBackoffPromptly() throws Exception {
        DeliveryRetry slow = retry(Duration.ofMinutes(10), Long.MAX_VALUE);
        CountDownLatch failedOnce = new CountDownLatch(1);
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread leader = Thread.ofVirtual().start(() -> {
            try {
                slow.run("orders", () -> {
                    failedOnce.countDown();
                    throw new DeliveryAttemptFailedException("answered HTTP 503");
                }, RetryGuard.always());
                outcome.complete(null);
            } catch (Throwable e) {
                outcome.complete(e);
            }
        });
        assertThat(failedOnce.await(5, TimeUnit.SECONDS)).isTrue();

        leader.interrupt();

        assertThat(outcome.get(5, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
    }

    @Test
    void anInterruptDuringAnAttemptIsNotRetried() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        CountDownLatch sending = new CountDownLatch(1);
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread leader = Thread.ofVirtual().start(() -> {
            try {
                retry(Duration.ofMillis(1), Long.MAX_VALUE).run("orders", () -> {
                    attempts.incrementAndGet();
                    sending.countDown();
                    new CountDownLatch(1).await(); // a request that never answers
                }, RetryGuard.always());
                outcome.complete(null);
            } catch (Throwable e) {
                outcome.complete(e);
            }
        });
        assertThat(sending.await(5, TimeUnit.SECONDS)).isTrue();

        leader.interrupt();

        assertThat(outcome.get(5, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
        assertThat(attempts).hasValue(1);
    }
}
