package org.reseq.ingress.retention;

import org.reseq.ingress.schedule.FixedDelayTask;
import org.reseq.ingress.schedule.OutageLogging;
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

    private final FixedDelayTask schedule;

    RetentionSchedule(RetentionJob job) {
        this.schedule = new FixedDelayTask("retention", job.interval(),
                new OutageLogging("Retention", job.interval(), log, () -> log.debug("Retention removed {}", job.run())));
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
