package org.reseq.egress.leader;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Wakes one leader early. Any number of {@link #wake()} calls between two waits count as one, and
 * a wake-up that arrives while the leader is busy is kept for its next wait, so none is lost.
 *
 * <p>Threads: {@link #wake()} from any thread (the pub/sub listener); {@link #await} only from the
 * owning leader's thread.
 */
final class Mailbox {

    private final Semaphore signals = new Semaphore(0);

    void wake() {
        if (signals.availablePermits() == 0) {
            signals.release();
        }
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
