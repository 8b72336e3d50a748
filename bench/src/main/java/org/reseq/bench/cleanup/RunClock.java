package org.reseq.bench.cleanup;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * What the threads of one variant run share: when it started (in {@link System#nanoTime()}),
 * whether it is still running, and the first failure, which stops it.
 *
 * <p>Thread-safe.
 */
final class RunClock {

    private final long start = System.nanoTime();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    long start() {
        return start;
    }

    boolean running() {
        return running.get();
    }

    void stop() {
        running.set(false);
    }

    /** Records the failure (the first one wins) and stops the run. */
    void fail(Throwable cause) {
        failure.compareAndSet(null, cause);
        stop();
    }

    Throwable failure() {
        return failure.get();
    }

    /** Parks until {@code deadline} (nanoTime) or until the run stops; returns whether it still runs. */
    boolean awaitUntil(long deadline) {
        while (running()) {
            long wait = deadline - System.nanoTime();
            if (wait <= 0) {
                return true;
            }
            LockSupport.parkNanos(Math.min(wait, 50_000_000L));
        }
        return false;
    }
}
