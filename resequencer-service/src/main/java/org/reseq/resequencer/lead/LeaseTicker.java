package org.reseq.resequencer.lead;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.reseq.model.lease.LeaseKeeper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Ticks the {@link LeaseKeeper} at a fixed delay from application start to shutdown. At shutdown
 * it stops ticking, then closes the keeper: every leader is stopped before its lease is released,
 * so another instance takes over at once (a graceful hand-over) instead of after a session timeout.
 *
 * <p>Threads: ticks run on one dedicated scheduler thread; {@link #stop()} runs on the thread that
 * closes the application context, after the last tick has finished.
 */
final class LeaseTicker implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(LeaseTicker.class);

    private final LeaseKeeper keeper;
    private final Duration interval;
    private ScheduledExecutorService scheduler;

    LeaseTicker(LeaseKeeper keeper, Duration interval) {
        this.keeper = keeper;
        this.interval = interval;
    }

    @Override
    public synchronized void start() {
        // a platform thread: the keeper holds monitors around JDBC calls
        scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("resequencer-lease-tick").factory());
        scheduler.scheduleWithFixedDelay(this::tick, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void tick() {
        try {
            keeper.tick();
        } catch (RuntimeException e) {
            // a scheduled task that throws is never run again: keep ticking whatever happens
            log.warn("Lease upkeep failed", e);
        }
    }

    @Override
    public synchronized void stop() {
        if (scheduler == null) {
            return;
        }
        scheduler.shutdown();
        try {
            if (!scheduler.awaitTermination(30, TimeUnit.SECONDS)) {
                log.warn("The last lease tick did not end within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        scheduler = null;
        keeper.close();
    }

    @Override
    public synchronized boolean isRunning() {
        return scheduler != null;
    }
}
