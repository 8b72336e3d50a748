package org.reseq.resequencer.release;

import java.util.Map;
import java.util.Set;

/**
 * A destination's reorder buffer: finished results waiting for their turn, and the ordered
 * output they are released to.
 */
public interface ResultBuffer {

    /** What {@link #release} answers when a resequencer with a higher epoch has written. */
    long FENCED = -1;

    /**
     * Scans the buffer: discards results at or below {@code released} (stale repeats) and reports
     * whether each other result not in {@code known} succeeded.
     *
     * @return sequence to success, for the results past {@code released} that are not in {@code known}
     */
    Map<Long, Boolean> scan(String destination, long released, Set<Long> known);

    /** Discards the result of an already released sequence (a late repeat). */
    void discard(String destination, long sequence);

    /**
     * Moves the results {@code first..last} to the destination's output in order, atomically and
     * fenced by {@code epoch}.
     *
     * @return {@link #FENCED} when a higher epoch has written to this destination, else how many
     *         results moved (fewer than asked when one was missing from the buffer)
     */
    long release(String destination, long epoch, long first, long last);

    /** Tells whoever listens (egress) that the output grew up to {@code released}: a hint, best effort. */
    void announce(String destination, long released);
}
