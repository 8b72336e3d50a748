package org.reseq.model.lease;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Until when the leases of one lock session are surely still this instance's own, by this JVM's
 * monotonic clock: the moment the last successful renewal was sent plus {@link
 * LeaseTimings#validity()}. Other instances take the leases over only after the full timeout has
 * passed since PostgreSQL recorded that renewal, which is later; so a holder that checks its term
 * before every side effect never acts at the same time as its successor (see ADR 14).
 *
 * <p>A term belongs to one lock session: when the session ends (a broken connection, a deadline
 * that passed) the term is revoked for good and a new session starts a new one.
 *
 * <p>Thread-safe: renewed by the renewing thread, read by every leader thread before each side effect.
 */
public final class LeaseTerm {

    private final long validityNanos;
    private final LongSupplier nanoTime;
    /** Guarded by this; read without the lock through the volatile fields below. */
    private volatile long validUntil;
    private volatile boolean renewed;
    private volatile boolean revoked;

    /** A term that is not valid until its first renewal. */
    public LeaseTerm(Duration validity) {
        this(validity, System::nanoTime);
    }

    /** A term renewed just now, for leases made by hand (tests, fakes). */
    public static LeaseTerm renewedNow(Duration validity) {
        LeaseTerm term = new LeaseTerm(validity);
        term.renewed(term.now());
        return term;
    }

    /** A term measured by {@code nanoTime} (a mutable clock in tests), not valid until renewed. */
    public LeaseTerm(Duration validity, LongSupplier nanoTime) {
        this.validityNanos = validity.toNanos();
        this.nanoTime = nanoTime;
    }

    /** The monotonic time now, to be taken just before a renewal is sent. */
    public long now() {
        return nanoTime.getAsLong();
    }

    /** A renewal sent at {@code sentAt} ({@link #now()} before sending) succeeded. */
    public synchronized void renewed(long sentAt) {
        if (revoked) {
            return;
        }
        long until = sentAt + validityNanos;
        if (!renewed || until - validUntil > 0) {
            validUntil = until;
        }
        renewed = true;
    }

    /** Ends the term at once, for good: the session that held its locks is gone or given up. */
    public void revoke() {
        revoked = true;
    }

    /** Whether the term was renewed at least once, is not revoked and its deadline has not passed. */
    public boolean valid() {
        return renewed && !revoked && validUntil - nanoTime.getAsLong() > 0;
    }

    /** Whether the term was renewed once and has ended since (deadline passed or revoked). */
    public boolean ended() {
        return (renewed || revoked) && !valid();
    }

    /** How long the term still holds; zero when it does not. */
    public Duration remaining() {
        if (!renewed || revoked) {
            return Duration.ZERO;
        }
        long left = validUntil - nanoTime.getAsLong();
        return left > 0 ? Duration.ofNanos(left) : Duration.ZERO;
    }

    /**
     * Throws unless the term holds: called before every side effect of a holder.
     *
     * @throws LeaseLostException when the term was revoked or its deadline passed
     */
    public void ensureValid(Lease lease) {
        if (!valid()) {
            throw new LeaseLostException(lease, revoked ? "its lock session ended"
                    : "its lease deadline passed (no renewal for " + Duration.ofNanos(validityNanos).toMillis()
                    + " ms: a pause, or PostgreSQL out of reach)");
        }
    }
}
