package org.reseq.model.leader;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;

/**
 * A leader's pause while PostgreSQL or Redis cannot be reached, kept readable in the log: one
 * warning when it starts, the retries at debug level, one line with its length when it ends.
 *
 * <p>Not thread-safe: owned by one leader's thread.
 */
public final class StoreOutage {

    private final Logger log;
    private final String leader;
    private final Clock clock;
    private Instant since;

    /**
     * @param log the leader's logger
     * @param leader names the leader in each line, for example {@code "Resequencing orders"}
     * @param clock measures the outage
     */
    public StoreOutage(Logger log, String leader, Clock clock) {
        this.log = log;
        this.leader = leader;
        this.clock = clock;
    }

    /**
     * A step failed because a store could not be reached.
     *
     * @param state what the leader does meanwhile and where it stands, for the first line
     */
    public void failed(Exception e, String state) {
        if (since == null) {
            since = clock.instant();
            log.warn("{} paused: PostgreSQL or Redis cannot be reached ({}); {}; it resumes by itself", leader,
                    e.toString(), state);
        } else {
            log.debug("{} still paused: {}", leader, e.toString());
        }
    }

    /**
     * A step went through; ends the outage, if there was one.
     *
     * @param state where the leader stands, for the line that ends the outage
     */
    public void succeeded(String state) {
        if (since != null) {
            log.info("{} resumed after {} ms; {}", leader, Duration.between(since, clock.instant()).toMillis(), state);
            since = null;
        }
    }

    /** Whether the last step failed. */
    public boolean ongoing() {
        return since != null;
    }
}
