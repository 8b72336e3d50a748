package org.reseq.resequencer.lead;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.reseq.resequencer.release.ReleasePlan;
import org.reseq.resequencer.release.ReleasePlanner;

/**
 * A destination's line as its leader knows it: the released cursor R (and how far PostgreSQL has
 * it), the highest dispatched sequence D, and the results that finished after R.
 *
 * <p>Owned by the leader's thread; touches no store.
 */
final class Line {

    private long released;
    private long persisted;
    private long dispatched;
    private final Set<Long> succeeded = new HashSet<>();
    private final Set<Long> failed = new HashSet<>();
    /** Failed results that may be released in their place: they are recorded as dead letters. */
    private final Set<Long> passable = new HashSet<>();

    /** A line that starts after {@code released}: everything past it without a result is dispatched again. */
    Line(long released) {
        restart(released);
    }

    long released() {
        return released;
    }

    long dispatched() {
        return dispatched;
    }

    /** Whether a release moved R past what PostgreSQL has (the cursor write failed and is retried). */
    boolean unpersisted() {
        return persisted < released;
    }

    void persisted() {
        persisted = released;
    }

    /**
     * Records a finished result.
     *
     * @return false when it is at or below R: a late repeat of a released result, to discard
     */
    boolean finished(long sequence, boolean ok) {
        if (sequence <= released) {
            return false;
        }
        if (ok) {
            failed.remove(sequence);
            passable.remove(sequence);
            succeeded.add(sequence);
        } else {
            succeeded.remove(sequence);
            failed.add(sequence);
        }
        return true;
    }

    /**
     * Records the successful results dispatch stored itself (deliveries with nothing to transform).
     *
     * @return whether there were any: they may be released at once
     */
    boolean finishedAtDispatch(List<Long> sequences) {
        sequences.forEach(sequence -> finished(sequence, true));
        return !sequences.isEmpty();
    }

    /** The sequences after R with a result, successful or not. */
    Set<Long> known() {
        Set<Long> known = new HashSet<>(succeeded);
        known.addAll(failed);
        return known;
    }

    /** Lets the failed result of {@code sequence} go out in its place; nothing when it has none. */
    void pass(long sequence) {
        if (failed.contains(sequence)) {
            passable.add(sequence);
        }
    }

    /** Forgets the result of {@code sequence} (it is transformed again): it waits like a fresh one. */
    void forget(long sequence) {
        succeeded.remove(sequence);
        failed.remove(sequence);
        passable.remove(sequence);
    }

    /** Whether the head R+1 failed and may not go out: the line is blocked there. */
    boolean headBlocked() {
        return failed.contains(released + 1) && !passable.contains(released + 1);
    }

    boolean headKnown() {
        return succeeded.contains(released + 1) || failed.contains(released + 1);
    }

    /** Whether the head R+1 has been dispatched and has no result yet. */
    boolean headWaiting() {
        return released + 1 <= dispatched && !headKnown();
    }

    void dispatchedUpTo(long highest) {
        dispatched = Math.max(dispatched, highest);
    }

    ReleasePlan plan(int maxBatch) {
        return ReleasePlanner.plan(released, succeeded, failed, passable, maxBatch);
    }

    /**
     * Records a release of {@code plan} in which {@code moved} results went out.
     *
     * @return false when fewer moved than planned: a result vanished from the buffer, so the rest
     *         of the run is forgotten and dispatched again from the new R
     */
    boolean released(ReleasePlan plan, long moved) {
        for (long sequence = plan.first(); sequence <= plan.last(); sequence++) {
            forget(sequence);
        }
        released += moved;
        dispatched = Math.max(dispatched, released); // a skipped head may never have been dispatched
        if (moved < plan.count()) {
            dispatched = Math.min(dispatched, released);
            return false;
        }
        return true;
    }

    /** Starts the line again after {@code cursor}, which PostgreSQL has: every result is forgotten. */
    void restart(long cursor) {
        released = cursor;
        persisted = cursor;
        dispatched = cursor;
        succeeded.clear();
        failed.clear();
        passable.clear();
    }
}
