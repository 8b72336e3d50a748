package org.reseq.ingress.retention;

import org.reseq.ingress.schedule.FixedDelayTask;
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
    private final FixedDelayTask schedule;
    /** Only the scheduler thread touches it. */
    private boolean failing;

    RetentionSchedule(RetentionJob job) {
        this.job = job;
        this.schedule = new FixedDelayTask("retention", job.interval(), this::runQuietly);
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
        schedule.start();
    }

    @Override
    public void stop() {
        schedule.stop();
    }

    @Override
    public boolean isRunning() {
        return schedule.isRunning();
    }
}
