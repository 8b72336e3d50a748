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
import org.reseq.egress.BoundEgressProperties;
import org.reseq.egress.EgressProperties;

class DeliveryRetryTests {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private DeliveryRetry retry(Duration initialDelay, long maxAttempts) {
        return retry(initialDelay, Duration.ofSeconds(30), maxAttempts);
    }

    private DeliveryRetry retry(Duration initialDelay, Duration maxDelay, long maxAttempts) {
        EgressProperties properties = BoundEgressProperties.of(
                "reseq.egress.retry.initial-delay", initialDelay.toMillis() + "ms",
                "reseq.egress.retry.max-delay", maxDelay.toMillis() + "ms",
                "reseq.egress.retry.max-attempts", String.valueOf(maxAttempts));
        return new DeliveryRetry(properties, new DeliveryMetrics(registry));
    }

    @Test
    void aPermanentRejectionIsTriedThePermanentAttemptsThenGivenUp() {
        AtomicInteger attempts = new AtomicInteger();

        assertThatThrownBy(() -> retry(Duration.ofMillis(1), Long.MAX_VALUE).run("orders", () -> {
            attempts.incrementAndGet();
            throw DeliveryAttemptFailedException.permanent("answered HTTP 400");
        }, RetryGuard.always()))
                .isInstanceOfSatisfying(DeliveryStoppedException.class, e -> {
                    assertThat(e.permanentlyRejected()).isTrue();
                    assertThat(e.attempts()).isEqualTo(3);
                    assertThat(e.getMessage()).contains("HTTP 400");
                });
        assertThat(attempts).hasValue(3);
    }

    @Test
    void transientFailuresInBetweenStartThePermanentCountAgain() throws Exception {
        AtomicInteger attempts = new AtomicInteger();

        retry(Duration.ofMillis(1), Long.MAX_VALUE).run("orders", () -> {
            int attempt = attempts.incrementAndGet();
            if (attempt < 7) {
                throw attempt % 3 == 0 ? new DeliveryAttemptFailedException("answered HTTP 503")
                        : DeliveryAttemptFailedException.permanent("answered HTTP 400");
            }
        }, RetryGuard.always());

        assertThat(attempts).hasValue(7);
    }

    @Test
    void whenToldToKeepTryingAPermanentRejectionIsRetriedAtTheMaximumDelay() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        java.util.List<Long> at = new java.util.concurrent.CopyOnWriteArrayList<>();

        retry(Duration.ofMillis(1), Duration.ofMillis(150), Long.MAX_VALUE).run("orders",
                DeliveryRetry.OnPermanentFailure.KEEP_TRYING, () -> {
                    at.add(System.nanoTime());
                    if (attempts.incrementAndGet() < 6) {
                        throw DeliveryAttemptFailedException.permanent("answered HTTP 400");
                    }
                }, RetryGuard.always());

        assertThat(attempts).hasValue(6);
        // Attempts 4, 5 and 6 follow the third permanent rejection: each the maximum delay later.
        for (int i = 3; i < 6; i++) {
            assertThat(Duration.ofNanos(at.get(i) - at.get(i - 1))).isGreaterThanOrEqualTo(Duration.ofMillis(140));
        }
    }

    @Test
    void theGuardIsToldOnceWhenAPermanentlyRejectedMessageStartsToHoldTheDestination() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        java.util.List<String> holding = new java.util.concurrent.CopyOnWriteArrayList<>();

        retry(Duration.ofMillis(1), Duration.ofMillis(2), Long.MAX_VALUE).run("orders",
                DeliveryRetry.OnPermanentFailure.KEEP_TRYING, () -> {
                    if (attempts.incrementAndGet() < 8) {
                        throw DeliveryAttemptFailedException.permanent("answered HTTP 400");
                    }
                }, RetryGuard.always().whenHolding(holding::add));

        assertThat(holding).containsExactly("answered HTTP 400");
    }

    @Test
    void aRetryAfterReplacesTheNextDelayCappedByTheMaximum() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        java.util.List<Long> at = new java.util.concurrent.CopyOnWriteArrayList<>();

        retry(Duration.ofMillis(1), Duration.ofMillis(600), Long.MAX_VALUE).run("orders", () -> {
            at.add(System.nanoTime());
            int attempt = attempts.incrementAndGet();
            if (attempt == 1) {
                throw DeliveryAttemptFailedException.retryAfter("answered HTTP 429", Duration.ofMillis(200));
            }
            if (attempt == 2) {
                throw DeliveryAttemptFailedException.retryAfter("answered HTTP 429", Duration.ofHours(1));
            }
        }, RetryGuard.always());

        // Far from the backoff (1 ms) and the maximum (600 ms), so that a busy machine cannot blur them.
        assertThat(Duration.ofNanos(at.get(1) - at.get(0))).isBetween(Duration.ofMillis(190), Duration.ofMillis(590));
        assertThat(Duration.ofNanos(at.get(2) - at.get(1))).isBetween(Duration.ofMillis(590), Duration.ofSeconds(3));
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
