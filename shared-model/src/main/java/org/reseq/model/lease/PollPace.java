package org.reseq.model.lease;

import java.time.Duration;
import org.reseq.model.leader.LeaderSweep;

/**
 * How long a leader waits between two polls of PostgreSQL and Redis: the poll interval after a
 * poll that found news, doubling after every poll that found nothing new, up to the idle interval;
 * and, while the leader is quiet (nothing outstanding, see {@link #quiet(boolean)}), the quiet
 * interval after that.
 *
 * <p>Why: signals wake a leader for everything it must act on; the poll is the safety net for a
 * lost signal and for what no signal announces. A poll costs a query and a few Redis calls, and
 * at the poll interval a thousand idle destinations kept two cores busy with nothing but polls (two
 * leaders each); at the idle interval they still took half a core. A quiet leader's destination is
 * watched by the instance's {@link LeaderSweep}, one batched look for all
 * of them, so its own polls can be rare. A poll that finds what the signals had not told means
 * signals are being lost: then the polls are short again. A lost signal costs time, never a message.
 *
 * <p>Not thread-safe: owned by one leader's thread.
 */
public final class PollPace {

    private final Duration busy;
    private final Duration idle;
    private final Duration quietCeiling;
    private Duration current;
    private boolean quiet;

    /**
     * @param busy the poll interval after news
     * @param idle the longest interval while the leader has work outstanding; not below {@code busy}
     * @param quiet the longest interval while it is quiet; not below {@code idle}
     */
    public PollPace(Duration busy, Duration idle, Duration quiet) {
        if (busy.isNegative() || busy.isZero() || idle.compareTo(busy) < 0) {
            throw new IllegalArgumentException(
                    "The idle poll interval " + idle + " must be at least the positive poll interval " + busy);
        }
        if (quiet.compareTo(idle) < 0) {
            throw new IllegalArgumentException(
                    "The quiet poll interval " + quiet + " must be at least the idle poll interval " + idle);
        }
        this.busy = busy;
        this.idle = idle;
        this.quietCeiling = quiet;
        this.current = busy;
    }

    /**
     * The pace of a leader whose destination the instance's {@link LeaderSweep} watches while the
     * leader is quiet: up to {@link LeaderSweep#QUIET_POLL_INTERVAL} then, or {@code idle} if longer.
     */
    public static PollPace watchedBySweep(Duration busy, Duration idle) {
        Duration quiet = LeaderSweep.QUIET_POLL_INTERVAL;
        return new PollPace(busy, idle, idle.compareTo(quiet) > 0 ? idle : quiet);
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

    /**
     * Wait twice as long for the next poll, at most the idle interval; while quiet, once there, the
     * quiet interval at once: the sweep watches a quiet leader's destination every idle interval,
     * so polls in between would tell nothing the sweep does not.
     */
    public void idle() {
        if (quiet && current.compareTo(idle) >= 0) {
            current = quietCeiling;
            return;
        }
        Duration doubled = current.multipliedBy(2);
        current = doubled.compareTo(idle) > 0 ? idle : doubled;
    }

    /**
     * Tells whether the leader has nothing outstanding: nothing in flight, nothing waiting to be
     * stored, nothing it watches a clock for. A leader that stops being quiet polls at most every
     * idle interval again, at once, so that what it started is not left waiting for a quiet poll.
     */
    public void quiet(boolean nothingOutstanding) {
        quiet = nothingOutstanding;
        if (!quiet && current.compareTo(idle) > 0) {
            current = idle;
        }
    }
}
