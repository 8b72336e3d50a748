package org.reseq.ingress.schedule;

import java.time.Duration;
import org.slf4j.Logger;

/**
 * A repeated task whose failures are logged once per outage: a warning at the first failed run,
 * one line when a run works again, nothing in between, so that a store away for an hour does not
 * fill the log with the same line. A failure never escapes: the {@link FixedDelayTask} goes on.
 *
 * <p>Threading: run by the one scheduler thread of its {@link FixedDelayTask} only.
 */
public final class OutageLogging implements Runnable {

    private final String what;
    private final Duration retryEvery;
    private final Logger log;
    private final Runnable task;
    private boolean failing;

    /**
     * @param what names the task in the log, such as {@code Retention}
     * @param retryEvery how often the task runs, for the warning
     */
    public OutageLogging(String what, Duration retryEvery, Logger log, Runnable task) {
        this.what = what;
        this.retryEvery = retryEvery;
        this.log = log;
        this.task = task;
    }

    @Override
    public void run() {
        try {
            task.run();
            if (failing) {
                log.info("{} works again", what);
                failing = false;
            }
        } catch (RuntimeException e) {
            if (!failing) {
                log.warn("{} failed ({}); retrying every {}", what, e.toString(), retryEvery);
                failing = true;
            }
        }
    }
}
