package org.reseq.worker.consume;

import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;

/**
 * A run of consecutive failures of one repeated task, typically while Redis is unreachable.
 * It paces the retries with a capped exponential backoff and keeps the log readable: a warning
 * when the failures start (or change kind), the retries only at debug level, and one line when
 * the task works again.
 *
 * <p>Threading: not thread-safe; each task's own thread keeps its own instance. Used by the
 * consumer, the claim refresher and the catalog publisher.
 */
public final class Outage {

    static final Duration FIRST_PAUSE = Duration.ofMillis(100);
    static final Duration MAX_PAUSE = Duration.ofSeconds(5);

    private final String task;
    private final Logger log;
    private final Clock clock;
    private int failures;
    private long startedAtMillis;
    private String lastProblem;

    public Outage(String task, Logger log, Clock clock) {
        this.task = task;
        this.log = log;
        this.clock = clock;
    }

    /**
     * Records a failure.
     *
     * @param problem what went wrong, in words; a new kind of problem is logged again
     * @return how long to wait before the next attempt
     */
    public Duration failed(String problem, RuntimeException e) {
        if (failures == 0) {
            startedAtMillis = clock.millis();
        }
        failures++;
        if (failures == 1 || !problem.equals(lastProblem)) {
            log.warn("{}: {}; retrying with backoff (up to {} apart), logging again only when it works: {}",
                    task, problem, MAX_PAUSE, e.toString());
        } else {
            log.debug("{}: {} (failure {} in a row): {}", task, problem, failures, e.toString());
        }
        lastProblem = problem;
        return pauseAfter(failures);
    }

    /** Records a success; ends the outage, if there was one. */
    public void succeeded() {
        if (failures > 0) {
            log.info("{} works again after {} failed attempt(s) over {} ms", task, failures,
                    clock.millis() - startedAtMillis);
            failures = 0;
            lastProblem = null;
        }
    }

    /** Consecutive failures so far; 0 when the task works. */
    int failures() {
        return failures;
    }

    /** The pause after the {@code failures}-th failure in a row: doubling from 100 ms, at most 5 s. */
    static Duration pauseAfter(int failures) {
        int doublings = Math.min(Math.max(failures - 1, 0), 16);
        Duration pause = FIRST_PAUSE.multipliedBy(1L << doublings);
        return pause.compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause;
    }
}
