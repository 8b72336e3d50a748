package org.reseq.resequencer.lead;

import java.util.ArrayList;
import java.util.List;
import org.reseq.resequencer.release.ResultBuffer;

/**
 * Applies the wake-ups a leader took from its mailbox to what it knows of its destination, and
 * discards the results that turn out to be late repeats of released ones.
 *
 * <p>Applying touches no store: the leader applies wake-ups outside the step whose store failures
 * it handles, so the buffer is cleaned of stale results in the next step instead.
 *
 * <p>Owned by the leader's thread.
 */
final class Wakeups {

    private final LedDestination led;
    private final ResultBuffer results;
    /** Sequences at or below the released cursor whose result came (again) after their release. */
    private final List<Long> staleResults = new ArrayList<>();

    Wakeups(LedDestination led, ResultBuffer results) {
        this.led = led;
        this.results = results;
    }

    /** @return true when the destination was changed and is to be polled at once */
    boolean apply(Wakeup wakeup) {
        long number = wakeup.signal().number();
        switch (wakeup.kind()) {
            case INGESTED -> led.ingestedUpTo(number);
            case DELIVERED -> led.deliveredUpTo(number);
            case DONE -> {
                if (!led.line().finished(number, wakeup.signal().ok())) {
                    staleResults.add(number); // a late repeat of a released result
                }
            }
            case CHANGED -> {
                return true;
            }
        }
        return false;
    }

    /** Removes the stale results from the buffer; one that fails stays noted for the next step. */
    void discardStale() {
        while (!staleResults.isEmpty()) {
            results.discard(led.incarnation(), staleResults.getLast());
            staleResults.removeLast();
        }
    }

    /**
     * Forgets the stale results noted so far: after a rewind they may lie past the new released
     * cursor, where the result in the buffer is the one the line waits for.
     */
    void forgetStale() {
        staleResults.clear();
    }
}
