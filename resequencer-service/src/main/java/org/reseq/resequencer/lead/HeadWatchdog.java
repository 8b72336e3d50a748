package org.reseq.resequencer.lead;

import java.time.Duration;

/**
 * Notices when the head of a destination's line (released + 1) has been dispatched but waits for
 * its result longer than a deadline: the first work item may have been lost (a worker crashed
 * between claim and acknowledgement, or Redis dropped the stream), and nothing after the head can
 * go out before it. The leader then dispatches the head again; results are idempotent per
 * sequence, so a second copy is harmless.
 *
 * <p>The deadline is the destination's transform budget (the longest a healthy chain takes with
 * every attempt, see {@link DestinationSettings#transformBudget()}) plus a slack for queueing, so
 * that a slow but healthy transform is never run twice. It runs from the moment a sequence is
 * first seen waiting at the head, and starts again after every re-dispatch, so a head that stays
 * stuck is dispatched again every deadline.
 *
 * <p>Pure (times are passed in) and owned by one leader's thread.
 */
final class HeadWatchdog {

    private static final long NONE = -1;

    private final long slackMillis;
    private long budgetMillis;
    private long watched = NONE;
    private long dueAt;

    /** @param slack how long past the transform budget a head may wait */
    HeadWatchdog(Duration slack) {
        if (slack.isNegative() || slack.isZero()) {
            throw new IllegalArgumentException("The head deadline must be positive: " + slack);
        }
        this.slackMillis = slack.toMillis();
    }

    /** Takes the destination's transform budget, for the deadlines that start from now on. */
    void budget(Duration transformBudget) {
        budgetMillis = transformBudget.toMillis();
    }

    /** The deadline a head waits now: the transform budget plus the slack. */
    Duration deadline() {
        return Duration.ofMillis(budgetMillis + slackMillis);
    }

    /**
     * Looks at the head.
     *
     * @param head the sequence at the head of the line
     * @param waiting whether it has been dispatched and has no result yet
     * @param nowMillis the current time
     * @return true when it has waited past the deadline: the caller dispatches it again
     */
    boolean overdue(long head, boolean waiting, long nowMillis) {
        if (!waiting) {
            watched = NONE;
            return false;
        }
        if (head != watched) {
            watched = head;
            dueAt = nowMillis + budgetMillis + slackMillis;
            return false;
        }
        if (nowMillis < dueAt) {
            return false;
        }
        dueAt = nowMillis + budgetMillis + slackMillis;
        return true;
    }

    /** Forgets the head watched so far (after a rewind the line starts again). */
    void reset() {
        watched = NONE;
    }
}
