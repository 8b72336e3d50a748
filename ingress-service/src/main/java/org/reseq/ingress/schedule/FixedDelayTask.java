package org.reseq.ingress.schedule;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.context.SmartLifecycle;

/**
 * Runs a task every {@code interval} (from the end of one run to the start of the next) on a
 * daemon thread of its own, between {@link #start()} and {@link #stop()}: the schedule of the
 * ingress service's background jobs. The task must not throw; a scheduled task that throws is
 * never run again. It is a {@link SmartLifecycle}: declared as a bean, it runs from application
 * start to shutdown.
 *
 * <p>Thread-safe: start and stop come from the application context's lifecycle thread.
 */
public final class FixedDelayTask implements SmartLifecycle {

    private static final Duration STOP_PATIENCE = Duration.ofSeconds(5);

    private final String threadName;
    private final Duration interval;
    private final Runnable task;
    private volatile ScheduledExecutorService scheduler;

    public FixedDelayTask(String threadName, Duration interval, Runnable task) {
        this.threadName = threadName;
        this.interval = interval;
        this.task = task;
    }

    /** Runs the task first one interval from now. */
    @Override
    public void start() {
        ScheduledExecutorService started = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name(threadName).daemon().factory());
        started.scheduleWithFixedDelay(task, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        scheduler = started;
    }

    /** Interrupts a run in progress and waits a moment for it to end. */
    @Override
    public void stop() {
        ScheduledExecutorService running = scheduler;
        scheduler = null;
        if (running != null) {
            running.shutdownNow();
            try {
                running.awaitTermination(STOP_PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return scheduler != null;
    }
}
