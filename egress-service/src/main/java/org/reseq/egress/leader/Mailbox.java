package org.reseq.egress.leader;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Wakes one leader early. Any number of {@link #wake()} calls between two waits count as one, and
 * a wake-up that arrives while the leader is busy is kept for its next wait, so none is lost.
 *
 * <p>Threads: {@link #wake()} from any thread (the pub/sub listener); {@link #await} only from the
 * owning leader's thread.
 */
final class Mailbox {

    private final Semaphore signals = new Semaphore(0);
    private final AtomicBoolean changed = new AtomicBoolean();

    void wake() {
        if (signals.availablePermits() == 0) {
            signals.release();
        }
    }

    /** Wakes the leader and tells it that its destination was changed through the admin API. */
    void changed() {
        changed.set(true);
        wake();
    }

    /** Whether the destination was changed since the last call; the leader's thread only. */
    boolean takeChanged() {
        return changed.getAndSet(false);
    }

    /**
     * Waits until woken or until {@code timeout} passed, whichever comes first.
     *
     * @return true when woken
     */
    boolean await(Duration timeout) throws InterruptedException {
        boolean woken = signals.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS);
        signals.drainPermits();
        return woken;
    }
}
