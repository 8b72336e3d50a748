package org.reseq.model.lease;

import java.time.Duration;

/**
 * How long a leader waits between two polls of PostgreSQL and Redis: the poll interval after a
 * poll that found news, doubling after every poll that found nothing new, up to the idle interval.
 *
 * <p>Why: signals wake a leader for everything it must act on; the poll is the safety net for a
 * lost signal and for what no signal announces. A poll costs a query and a few Redis calls, and
 * at the poll interval a thousand idle destinations kept two cores busy with nothing but polls (two
 * leaders each). A poll that finds what the signals had not told means signals are being lost:
 * then the polls are short again. A lost signal costs time, never a message.
 *
 * <p>Not thread-safe: owned by one leader's thread.
 */
public final class PollPace {

    private final Duration busy;
    private final Duration idle;
    private Duration current;

    /**
     * @param busy the poll interval after news
     * @param idle the longest interval, reached after a few polls without news; not below {@code busy}
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

    /**
     * Sets the wait after a poll: {@link #busy()} when it found what no signal had told (or a
     * store failed), {@link #idle()} when it found nothing new.
     */
    public void polled(boolean news) {
        if (news) {
            busy();
        } else {
            idle();
        }
    }

    /** Poll at the poll interval again. */
    public void busy() {
        current = busy;
    }

    /** Wait twice as long for the next poll, at most the idle interval. */
    public void idle() {
        Duration doubled = current.multipliedBy(2);
        current = doubled.compareTo(idle) > 0 ? idle : doubled;
    }
}
