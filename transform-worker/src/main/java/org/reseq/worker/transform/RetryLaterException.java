package org.reseq.worker.transform;

import java.time.Duration;

/**
 * A transform attempt failed, and whoever answered said when to try again (an HTTP
 * {@code Retry-After}): the next attempt waits at least that long, within the chain's limits
 * (see {@link HintedBackOff}). It is an ordinary retryable failure otherwise: it uses an attempt.
 */
public class RetryLaterException extends TransformException {

    private final Duration retryAfter;

    public RetryLaterException(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = retryAfter;
    }

    /** How long the answer asked to wait; never negative. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
