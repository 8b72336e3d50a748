package org.reseq.ingress.retention;

import java.time.Duration;
import org.reseq.ingress.schedule.FixedDelayTask;
import org.reseq.ingress.schedule.OutageLogging;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The retention package's background jobs, each on a thread of its own from application start to
 * shutdown. A run that fails (PostgreSQL away) is logged once per outage; the next one catches up.
 */
@Configuration(proxyBeanMethods = false)
class RetentionScheduling {

    /** Often enough for alerts measured in minutes, a single cheap query each time. */
    static final Duration GAUGE_INTERVAL = Duration.ofSeconds(10);
    private static final Logger log = LoggerFactory.getLogger(RetentionScheduling.class);

    /** Runs the {@link RetentionJob} every {@code reseq.retention.interval}. */
    @Bean
    FixedDelayTask retentionSchedule(RetentionJob job) {
        return new FixedDelayTask("retention", job.interval(),
                new OutageLogging("Retention", job.interval(), log, () -> log.debug("Retention removed {}", job.run())));
    }

    /**
     * Refreshes the per-destination gauges ({@link DestinationGauges}); the gauges keep their last
     * values while a refresh fails.
     */
    @Bean
    FixedDelayTask destinationGaugeSchedule(RetentionJob job) {
        return new FixedDelayTask("destination-gauges", GAUGE_INTERVAL,
                new OutageLogging("Refreshing the destination gauges", GAUGE_INTERVAL, log,
                        job::refreshDestinationGauges));
    }
}
