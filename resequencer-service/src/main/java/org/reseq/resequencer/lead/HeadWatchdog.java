package org.reseq.resequencer.lead;

import java.time.Duration;

/**
 * Notices when the head of a destination's line (released + 1) has been dispatched but waits for
 * its result longer than a deadline: the first work item may have been lost (a worker crashed
 * between claim and acknowledgement, or Redis dropped the stream), and nothing after the head can
 * go out before it. The leader then dispatches the head again; results are idempotent per
 * sequence, so a second copy is harmless.
 *
 * <p>The deadline runs from the moment a sequence is first seen waiting at the head, and starts
 * again after every re-dispatch, so a head that stays stuck is dispatched again every deadline.
 *
 * <p>Pure (times are passed in) and owned by one leader's thread.
 */
final class HeadWatchdog {

    private static final long NONE = -1;

    private final long deadlineMillis;
    private long watched = NONE;
    private long dueAt;

    HeadWatchdog(Duration deadline) {
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("The head deadline must be positive: " + deadline);
        }
        this.deadlineMillis = deadline.toMillis();
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
            dueAt = nowMillis + deadlineMillis;
            return false;
        }
        if (nowMillis < dueAt) {
            return false;
        }
        dueAt = nowMillis + deadlineMillis;
        return true;
    }

    /** Forgets the head watched so far (after a rewind the line starts again). */
    void reset() {
        watched = NONE;
    }
}
