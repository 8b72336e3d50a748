package org.reseq.ingress.retention;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Runs the {@link RetentionJob} every {@code reseq.retention.interval} on a thread of its own,
 * from application start to shutdown. A run that fails (PostgreSQL away) is logged once per
 * outage; the next one catches up.
 */
@Component
class RetentionSchedule implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RetentionSchedule.class);

    private final RetentionJob job;
    private volatile ScheduledExecutorService scheduler;
    /** Only the scheduler thread touches it. */
    private boolean failing;

    RetentionSchedule(RetentionJob job) {
        this.job = job;
    }

    private void runQuietly() {
        try {
            RetentionJob.Removed removed = job.run();
            if (failing) {
                log.info("Retention works again");
                failing = false;
            }
            log.debug("Retention removed {}", removed);
        } catch (RuntimeException e) {
            if (!failing) {
                log.warn("Retention failed ({}); retrying every {}", e.toString(), job.interval());
                failing = true;
            }
        }
    }

    @Override
    public void start() {
        ScheduledExecutorService started = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("retention").daemon().factory());
        long interval = job.interval().toMillis();
        started.scheduleWithFixedDelay(this::runQuietly, interval, interval, TimeUnit.MILLISECONDS);
        scheduler = started;
    }

    @Override
    public void stop() {
        ScheduledExecutorService running = scheduler;
        scheduler = null;
        if (running != null) {
            running.shutdownNow();
            try {
                running.awaitTermination(5, TimeUnit.SECONDS);
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
