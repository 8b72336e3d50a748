package org.reseq.model.lease;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Spaces a leader's cursor commits at least an interval apart.
 *
 * <p>Why: a cursor is where a new leader starts, not the record of what went out (the out stream
 * and the destination's idempotency keys are). Committing it after every release or delivery
 * costs one PostgreSQL update per batch on the same few rows; under load that was most of the
 * database's work, and a row updated that often keeps a long chain of dead versions that every
 * update walks. A cursor that lags by at most the interval costs, after a crash, at most that
 * much work done again: released results released again, delivered messages delivered again
 * with the same idempotency keys. Never an order or a message.
 *
 * <p>Not thread-safe: owned by one leader's thread. Reads the monotonic clock.
 */
public final class CommitPacer {

    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private long lastCommit;

    /** @param interval the shortest time between two commits; zero commits every time */
    public CommitPacer(Duration interval) {
        this(interval, System::nanoTime);
    }

    CommitPacer(Duration interval, LongSupplier nanoTime) {
        if (interval.isNegative()) {
            throw new IllegalArgumentException("The commit interval must not be negative: " + interval);
        }
        this.intervalNanos = interval.toNanos();
        this.nanoTime = nanoTime;
        this.lastCommit = nanoTime.getAsLong() - intervalNanos;
    }

    /** Whether a commit now keeps the interval since the last successful one. */
    public boolean due() {
        return nanoTime.getAsLong() - lastCommit >= intervalNanos;
    }

    /** How long until {@link #due()}; zero when it already is. */
    public Duration untilDue() {
        long remaining = lastCommit + intervalNanos - nanoTime.getAsLong();
        return remaining <= 0 ? Duration.ZERO : Duration.ofNanos(remaining);
    }

    /**
     * How long a leader may wait for news: {@code atMost}, or less when a commit is waiting
     * ({@code pending}) and falls due sooner.
     */
    public Duration maxWait(boolean pending, Duration atMost) {
        if (!pending) {
            return atMost;
        }
        Duration untilCommit = untilDue();
        return untilCommit.compareTo(atMost) < 0 ? untilCommit : atMost;
    }

    /** Records a successful commit now; a failed one is not recorded, so the next is due at once. */
    public void committed() {
        lastCommit = nanoTime.getAsLong();
    }
}
