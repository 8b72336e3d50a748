package org.reseq.egress.delivery;

import java.time.Duration;
import java.util.Optional;

/**
 * One attempt was not accepted (a rejecting answer, a timeout, a broken connection). Carries no
 * stack trace and no cause: unlimited retries keep every failed attempt in memory until the
 * message is accepted, so each must stay small.
 *
 * <p>Most failures are transient and retried without limit by default. A permanent one (an HTTP
 * 4xx other than 408 and 429) is retried only {@code reseq.egress.permanent-failure-attempts}
 * times before the destination's failure policy decides. A destination may also say when to try
 * again ({@code Retry-After}), which then replaces the backoff's next delay.
 */
public final class DeliveryAttemptFailedException extends Exception {

    private final boolean permanent;
    private final Duration retryAfter;

    /** A transient failure: retried with the usual backoff. */
    public DeliveryAttemptFailedException(String reason) {
        this(reason, false, null);
    }

    private DeliveryAttemptFailedException(String reason, boolean permanent, Duration retryAfter) {
        super(reason, null, false, false);
        this.permanent = permanent;
        this.retryAfter = retryAfter;
    }

    /** A transient failure after which the destination asked to wait {@code retryAfter} before the next try. */
    public static DeliveryAttemptFailedException retryAfter(String reason, Duration retryAfter) {
        return new DeliveryAttemptFailedException(reason, false, retryAfter);
    }

    /** The destination rejected the message itself: sending it unchanged is unlikely to succeed. */
    public static DeliveryAttemptFailedException permanent(String reason) {
        return new DeliveryAttemptFailedException(reason, true, null);
    }

    public boolean permanent() {
        return permanent;
    }

    /** The wait the destination asked for before the next attempt, if it asked. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
