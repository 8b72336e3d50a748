package org.reseq.model.lease;

import java.time.Duration;

/**
 * How long a leader waits between two polls of PostgreSQL and Redis: the poll interval while its
 * destination has work, doubling after every poll that found it idle, up to the idle interval.
 *
 * <p>Why: signals wake a leader for everything it must act on; the poll is the safety net for a
 * lost signal and for what no signal announces. A poll costs a query and a few Redis calls, and
 * at the poll interval a thousand idle destinations kept two cores busy with nothing but polls (two
 * leaders each). A destination with nothing in flight loses nothing to a lost signal while idle,
 * only time, and any signal brings the leader back to the poll interval at once.
 *
 * <p>Not thread-safe: owned by one leader's thread.
 */
public final class PollPace {

    private final Duration busy;
    private final Duration idle;
    private Duration current;

    /**
     * @param busy the poll interval while there is work
     * @param idle the longest interval, reached after a few idle polls; not below {@code busy}
     */
    public PollPace(Duration busy, Duration idle) {
        if (busy.isNegative() || busy.isZero() || idle.compareTo(busy) < 0) {
            throw new IllegalArgumentException(
                    "The idle poll interval " + idle + " must be at least the positive poll interval " + busy);
        }
        this.busy = busy;
        this.idle = idle;
        this.current = busy;
    }

    /** The wait until the next poll. */
    public Duration interval() {
        return current;
    }

    /** There is work, or a signal came: poll at the poll interval again. */
    public void busy() {
        current = busy;
    }

    /** A poll found nothing to do: wait twice as long for the next one, at most the idle interval. */
    public void idle() {
        Duration doubled = current.multipliedBy(2);
        current = doubled.compareTo(idle) > 0 ? idle : doubled;
    }
}
