package org.reseq.transform;

import java.time.Duration;
import java.util.Objects;

/**
 * A transform attempt failed, and whoever answered said when to try again (an HTTP
 * {@code Retry-After}): the next attempt waits at least that long, within the chain's timeout.
 * It is an ordinary retryable failure otherwise: it uses an attempt.
 */
public class RetryLaterException extends TransformException {

    private final Duration retryAfter;

    public RetryLaterException(String message, Duration retryAfter) {
        super(message);
        Objects.requireNonNull(retryAfter, "retryAfter");
        this.retryAfter = retryAfter.isNegative() ? Duration.ZERO : retryAfter;
    }

    /** How long the answer asked to wait; never negative. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
