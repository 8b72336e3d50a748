package org.reseq.egress.delivery;

/**
 * A delivery ended without the destination accepting the message: the retry guard said stop, or
 * the configured attempts ran out. The message is still to be delivered; nothing was skipped.
 */
public final class DeliveryStoppedException extends Exception {

    private final boolean attemptsExhausted;

    private DeliveryStoppedException(String message, boolean attemptsExhausted) {
        super(message, null, false, false);
        this.attemptsExhausted = attemptsExhausted;
    }

    static DeliveryStoppedException stoppedByGuard(String lastFailure) {
        return new DeliveryStoppedException("stopped retrying after: " + lastFailure, false);
    }

    static DeliveryStoppedException attemptsExhausted(long attempts, String lastFailure) {
        return new DeliveryStoppedException("gave up after " + attempts + " attempts, the last: " + lastFailure,
                true);
    }

    /** True when the retry budget ran out, false when the guard stopped the retries. */
    public boolean attemptsExhausted() {
        return attemptsExhausted;
    }
}
