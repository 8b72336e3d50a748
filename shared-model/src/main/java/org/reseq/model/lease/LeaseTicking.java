package org.reseq.model.lease;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renews a {@link LeaseKeeper}'s leases every renewal interval on one platform thread, and ticks
 * it on another (the keeper holds monitors around JDBC calls): at a fixed delay from construction, and once more at once when {@link #tickSoon()} is
 * asked, so that a destination created a moment ago gets its leader in milliseconds instead of
 * up to a tick later. {@link #close()} stops ticking and closes the keeper on that same thread,
 * after the tick in progress: every leader stops before its lease is released, so another
 * instance takes over at once (a graceful hand-over).
 */
public final class LeaseTicking implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LeaseTicking.class);
    private static final Duration CLOSE_PATIENCE = Duration.ofSeconds(30);

    private final LeaseKeeper keeper;
    private final ScheduledExecutorService scheduler;
    private final ScheduledExecutorService renewer;
    /** Set while an extra tick waits to run: a burst of requests needs one tick, not one each. */
    private final AtomicBoolean extraTickQueued = new AtomicBoolean();

    /**
     * Starts ticking at once.
     *
     * @param threadName the name of the ticking thread
     */
    public LeaseTicking(LeaseKeeper keeper, Duration interval, Duration renewInterval, String threadName) {
        this.keeper = keeper;
        this.renewer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name(threadName + "-renew").factory());
        this.scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name(threadName).factory());
        renewer.scheduleWithFixedDelay(keeper::renew, 0, renewInterval.toMillis(), TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(this::tick, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Asks for a tick as soon as the one in progress (if any) ended; never blocks. Requests that
     * come while one waits are covered by it. After {@link #close()} it does nothing.
     */
    public void tickSoon() {
        if (!extraTickQueued.compareAndSet(false, true)) {
            return;
        }
        try {
            scheduler.execute(() -> {
                extraTickQueued.set(false);
                tick();
            });
        } catch (RejectedExecutionException e) {
            // closing: there is nothing left to tick
        }
    }

    /**
     * Stops ticking and renewing, then closes the keeper on the ticking thread, after the tick in
     * progress. Renewals end first, so that none opens a session again after the keeper closed
     * its own; leaders stop well within what is left of the term.
     */
    @Override
    public void close() {
        Future<?> closed;
        try {
            closed = scheduler.submit(() -> {
                renewer.shutdownNow();
                try {
                    renewer.awaitTermination(CLOSE_PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                keeper.close();
            });
        } catch (RejectedExecutionException e) {
            return; // closed before
        }
        scheduler.shutdown();
        try {
            closed.get(CLOSE_PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("{} leases did not close cleanly; PostgreSQL frees them with the session", keeper.role(), e);
        }
        scheduler.shutdownNow();
        renewer.shutdownNow();
    }

    private void tick() {
        try {
            keeper.tick();
        } catch (RuntimeException e) {
            // a scheduled task that throws is never run again: keep ticking whatever happens
            log.warn("{} lease upkeep failed", keeper.role(), e);
        }
    }
}
