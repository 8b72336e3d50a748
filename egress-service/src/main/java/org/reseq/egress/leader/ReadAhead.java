package org.reseq.egress.leader;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.reseq.model.redis.TransformResult;

/**
 * The results a leader read from its out stream but cannot deliver yet, by sequence: everything
 * past the delivered cursor. Delivery takes them strictly in order, one after the delivered
 * cursor; a result further on waits here until the ones before it came, wherever in the stream
 * they turn up (a batch released again after a resequencer rewind comes after what was read).
 *
 * <p>Bounded: the resequencer releases at most a window past the delivered cursor, so in normal
 * operation this holds less than that; should it ever hold {@code limit} results, it keeps the
 * lowest sequences (the next ones to deliver) and lets go of the highest, which the resequencer
 * releases again after a rewind.
 *
 * <p>Not thread-safe: owned by one leader's thread.
 *
 * @param <I> the stream entry id
 */
final class ReadAhead<I> {

    /** A result held, with the id of the stream entry that carried it. */
    record Held<I>(I id, TransformResult result) {

        long sequence() {
            return result.sequence();
        }
    }

    private final int limit;
    private final TreeMap<Long, Held<I>> bySequence = new TreeMap<>();

    ReadAhead(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1: " + limit);
        }
        this.limit = limit;
    }

    /**
     * Takes a result read from the stream.
     *
     * @param delivered the delivered cursor
     * @return the id of the stream entry to remove, if one is no longer needed: this one when it
     *         is a repeat of a delivered sequence, a second copy of a held one or beyond the
     *         limit; or the highest held one when this one took its place
     */
    Optional<I> offer(I id, TransformResult result, long delivered) {
        long sequence = result.sequence();
        if (sequence <= delivered) {
            return Optional.of(id);
        }
        Held<I> held = bySequence.get(sequence);
        if (held != null) {
            // Read again after the stream was recreated, or released twice: one copy is enough.
            return held.id().equals(id) ? Optional.empty() : Optional.of(id);
        }
        if (bySequence.size() >= limit) {
            if (sequence > bySequence.lastKey()) {
                return Optional.of(id);
            }
            Map.Entry<Long, Held<I>> highest = bySequence.pollLastEntry();
            bySequence.put(sequence, new Held<>(id, result));
            return Optional.of(highest.getValue().id());
        }
        bySequence.put(sequence, new Held<>(id, result));
        return Optional.empty();
    }

    /** The result to deliver next, if it was read: the one right after {@code delivered}. */
    Optional<Held<I>> next(long delivered) {
        Map.Entry<Long, Held<I>> first = bySequence.firstEntry();
        return first != null && first.getKey() == delivered + 1 ? Optional.of(first.getValue()) : Optional.empty();
    }

    /** Forgets a result once it was delivered. */
    void remove(long sequence) {
        bySequence.remove(sequence);
    }

    /** Whether the stream entry {@code id} carrying {@code sequence} is held. */
    boolean holds(I id, long sequence) {
        Held<I> held = bySequence.get(sequence);
        return held != null && held.id().equals(id);
    }

    /** The lowest sequence held, if any: past the delivered cursor, so a gap when not the next. */
    Optional<Long> lowest() {
        return bySequence.isEmpty() ? Optional.empty() : Optional.of(bySequence.firstKey());
    }

    /** Whether a result with {@code sequence} is held, whatever entry carried it. */
    boolean holds(long sequence) {
        return bySequence.containsKey(sequence);
    }

    int size() {
        return bySequence.size();
    }

    int limit() {
        return limit;
    }
}
