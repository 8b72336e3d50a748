package org.reseq.egress.leader;

import java.time.Duration;
import java.time.Instant;

/**
 * Times how long a leader has had nothing to deliver, and says when to look whether that is a
 * gap worth a rewind: once the wait reached the gap timeout, and again after every further
 * timeout while it lasts. Any progress (or a stop for another reason: paused, destination down)
 * starts it over.
 *
 * <p>Not thread-safe: owned by one leader's thread.
 */
final class GapTimer {

    private final Duration timeout;
    /** When the wait began; null while there is something to deliver. */
    private Instant waitingSince;
    /** When the last look was due; null before the first in this wait. */
    private Instant lastLook;

    GapTimer(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        this.timeout = timeout;
    }

    /** Delivery went on, or stopped for a reason other than a gap: no wait to time. */
    void reset() {
        waitingSince = null;
        lastLook = null;
    }

    /**
     * Nothing could be delivered just now.
     *
     * @return true when a look is due: the wait lasted a timeout since it began or since the last look
     */
    boolean waiting(Instant now) {
        if (waitingSince == null) {
            waitingSince = now;
            return false;
        }
        Instant from = lastLook == null ? waitingSince : lastLook;
        if (now.isBefore(from.plus(timeout))) {
            return false;
        }
        lastLook = now;
        return true;
    }

    /** How long the current wait has lasted; zero when there is none. */
    Duration waited(Instant now) {
        return waitingSince == null ? Duration.ZERO : Duration.between(waitingSince, now);
    }
}
