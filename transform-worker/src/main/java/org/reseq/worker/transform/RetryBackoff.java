package org.reseq.worker.transform;

import java.time.Duration;

/**
 * Capped exponential backoff between attempts of a chain: {@code initialDelay}, then twice
 * that, and so on, never more than {@code maxDelay}.
 *
 * @param initialDelay the wait before the second attempt
 * @param maxDelay the longest wait between two attempts
 */
public record RetryBackoff(Duration initialDelay, Duration maxDelay) {

    public static final double MULTIPLIER = 2.0;

    public RetryBackoff {
        if (initialDelay.isNegative() || maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("need 0 <= initialDelay <= maxDelay, got " + initialDelay
                    + " and " + maxDelay);
        }
    }
}
