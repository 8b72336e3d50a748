package org.reseq.egress.leader;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A leader's request to stop, made once and never taken back.
 *
 * <p>Threads: {@link #request()} comes from the lease keeper's thread; the leader's own thread
 * reads {@link #requested()} and waits in {@link #awaitFor}, which the request ends at once, so
 * that a backoff never needs an interrupt to end.
 */
final class StopSignal {

    private volatile boolean requested;
    private final CountDownLatch latch = new CountDownLatch(1);

    /** Any thread: asks the leader to stop; only sets the flag and wakes a wait. */
    void request() {
        requested = true;
        latch.countDown();
    }

    boolean requested() {
        return requested;
    }

    /**
     * Waits {@code delay}, or less when a stop is requested meanwhile.
     *
     * @return true when a stop was requested
     */
    boolean awaitFor(Duration delay) throws InterruptedException {
        return latch.await(delay.toNanos(), TimeUnit.NANOSECONDS);
    }
}
