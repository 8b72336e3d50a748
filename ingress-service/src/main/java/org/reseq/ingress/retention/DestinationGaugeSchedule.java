package org.reseq.ingress.retention;

import java.time.Duration;
import org.reseq.ingress.schedule.FixedDelayTask;
import org.reseq.ingress.schedule.OutageLogging;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Refreshes the per-destination gauges ({@link DestinationGauges}) every
 * {@value #INTERVAL_SECONDS} seconds, from application start to shutdown: often enough for
 * alerts measured in minutes, a single cheap query each time. A refresh that fails
 * (PostgreSQL away) is logged once per outage; the gauges keep their last values meanwhile.
 */
@Component
class DestinationGaugeSchedule implements SmartLifecycle {

    static final int INTERVAL_SECONDS = 10;
    private static final Logger log = LoggerFactory.getLogger(DestinationGaugeSchedule.class);

    private final FixedDelayTask schedule;

    DestinationGaugeSchedule(RetentionJob job) {
        Duration interval = Duration.ofSeconds(INTERVAL_SECONDS);
        this.schedule = new FixedDelayTask("destination-gauges", interval,
                new OutageLogging("Refreshing the destination gauges", interval, log, job::refreshDestinationGauges));
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
