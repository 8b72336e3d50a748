package org.reseq.worker.transform;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.reseq.transform.RetryLaterException;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * The backoff of one delivery's attempts: {@link RetryBackoff}'s capped exponential waits, but
 * never shorter than what the last failure asked for with {@link RetryLaterException}, up to
 * {@code maxHint}. The cap keeps a server from parking a delivery (and its destination's order)
 * longer than the chain's own timeout; the hint never adds attempts.
 *
 * <p>Threads: one instance per delivery; {@link #failed} and the execution's waits run in turn
 * on that delivery's thread (the retry template's caller), so the hint needs no more than an
 * atomic hand-over.
 */
final class HintedBackOff implements BackOff {

    private final ExponentialBackOff exponential;
    private final Duration maxHint;
    private final AtomicReference<Duration> hint = new AtomicReference<>();

    HintedBackOff(RetryBackoff backoff, int maxAttempts, Duration maxHint) {
        this.exponential = new ExponentialBackOff(backoff.initialDelay().toMillis(), RetryBackoff.MULTIPLIER);
        this.exponential.setMaxInterval(backoff.maxDelay().toMillis());
        this.exponential.setMaxAttempts(maxAttempts - 1L);
        this.maxHint = maxHint;
    }

    /** Notes an attempt's failure, before the wait for the next attempt is asked for. */
    void failed(Throwable failure) {
        hint.set(failure instanceof RetryLaterException later ? later.retryAfter() : null);
    }

    @Override
    public BackOffExecution start() {
        BackOffExecution waits = exponential.start();
        return () -> {
            long next = waits.nextBackOff();
            Duration asked = hint.getAndSet(null);
            if (next == BackOffExecution.STOP || asked == null) {
                return next;
            }
            return Math.max(next, Math.min(asked.toMillis(), maxHint.toMillis()));
        };
    }
}
