package org.reseq.egress.delivery;

/**
 * A delivery ended without the destination accepting the message: the retry guard said stop, the
 * configured attempts ran out, or the message cannot be sent as the destination is configured.
 * The message is still to be delivered; nothing was skipped.
 */
public final class DeliveryStoppedException extends Exception {

    private enum Cause {
        GUARD,
        ATTEMPTS_EXHAUSTED,
        UNDELIVERABLE,
        PERMANENT
    }

    private final Cause cause;
    private final long attempts;

    private DeliveryStoppedException(String message, Cause cause) {
        this(message, cause, 0);
    }

    private DeliveryStoppedException(String message, Cause cause, long attempts) {
        super(message, null, false, false);
        this.cause = cause;
        this.attempts = attempts;
    }

    public static DeliveryStoppedException stoppedByGuard(String lastFailure) {
        return new DeliveryStoppedException("stopped retrying after: " + lastFailure, Cause.GUARD);
    }


    static DeliveryStoppedException attemptsExhausted(long attempts, String lastFailure) {
        return new DeliveryStoppedException("gave up after " + attempts + " attempts, the last: " + lastFailure,
                Cause.ATTEMPTS_EXHAUSTED, attempts);
    }

    static DeliveryStoppedException permanentFailure(long attempts, String lastFailure) {
        return new DeliveryStoppedException(lastFailure + " (permanent, " + attempts + " attempts)", Cause.PERMANENT,
                attempts);
    }

    /**
     * The message cannot be sent with the destination's current configuration (for example a
     * line break in a payload for {@code LINE} framing): no attempt was made, and retrying it
     * unchanged would fail the same way.
     */
    public static DeliveryStoppedException undeliverable(String reason) {
        return new DeliveryStoppedException(reason, Cause.UNDELIVERABLE);
    }

    /** True when the retry budget ran out, false when the guard stopped the retries. */
    public boolean attemptsExhausted() {
        return cause == Cause.ATTEMPTS_EXHAUSTED;
    }

    /**
     * True when the destination rejected the message permanently as often as
     * {@code reseq.egress.permanent-failure-attempts} allows: the destination's failure policy decides.
     */
    public boolean permanentlyRejected() {
        return cause == Cause.PERMANENT;
    }

    /** Attempts made, when the retries ran out or the message was rejected permanently; 0 otherwise. */
    public long attempts() {
        return attempts;
    }

    /** True when the message cannot be sent as the destination is configured: a permanent error. */
    public boolean undeliverable() {
        return cause == Cause.UNDELIVERABLE;
    }
}
