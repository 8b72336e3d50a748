package org.reseq.egress.leader;

import java.util.ArrayList;
import java.util.List;
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
 * <p>Bounded, in results and in payload bytes: the resequencer releases at most a window past the
 * delivered cursor, so in normal operation this holds less than that; should it ever reach
 * {@code limit} results or {@code maxBytes} of payload, it keeps the lowest sequences (the next
 * ones to deliver) and lets go of the highest, which the resequencer releases again after a
 * rewind. One result larger than {@code maxBytes} is still held, alone, so nothing ever wedges.
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
    private final long maxBytes;
    private final TreeMap<Long, Held<I>> bySequence = new TreeMap<>();
    private long bytes;

    ReadAhead(int limit, long maxBytes) {
        if (limit < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("limit and maxBytes must be at least 1: " + limit + ", " + maxBytes);
        }
        this.limit = limit;
        this.maxBytes = maxBytes;
    }

    /**
     * Takes a result read from the stream.
     *
     * @param delivered the delivered cursor
     * @return the ids of the stream entries to remove, as they are no longer needed: this one when
     *         it is a repeat of a delivered sequence, a second copy of a held one or beyond the
     *         limits; or the highest held ones when this one took their place
     */
    List<I> offer(I id, TransformResult result, long delivered) {
        long sequence = result.sequence();
        if (sequence <= delivered) {
            return List.of(id);
        }
        Held<I> held = bySequence.get(sequence);
        if (held != null) {
            // Read again after the stream was recreated, or released twice: one copy is enough.
            return held.id().equals(id) ? List.of() : List.of(id);
        }
        List<I> letGo = new ArrayList<>();
        long size = size(result);
        while (!bySequence.isEmpty() && (bySequence.size() >= limit || bytes + size > maxBytes)) {
            if (sequence > bySequence.lastKey()) {
                letGo.add(id);
                return letGo;
            }
            Held<I> highest = bySequence.pollLastEntry().getValue();
            bytes -= size(highest.result());
            letGo.add(highest.id());
        }
        bySequence.put(sequence, new Held<>(id, result));
        bytes += size;
        return letGo;
    }

    private static long size(TransformResult result) {
        return result.payload() == null ? 0 : result.payload().length;
    }

    /** The result to deliver next, if it was read: the one right after {@code delivered}. */
    Optional<Held<I>> next(long delivered) {
        Map.Entry<Long, Held<I>> first = bySequence.firstEntry();
        return first != null && first.getKey() == delivered + 1 ? Optional.of(first.getValue()) : Optional.empty();
    }

    /**
     * The successful results next in line, right after {@code delivered} and without a gap, as
     * many as fit the limits: at least the first one, however large, and never a failed one.
     */
    List<Held<I>> run(long delivered, int maxResults, long maxPayloadBytes) {
        List<Held<I>> run = new ArrayList<>();
        long runBytes = 0;
        long expected = delivered + 1;
        for (Map.Entry<Long, Held<I>> entry : bySequence.tailMap(expected).entrySet()) {
            Held<I> held = entry.getValue();
            long size = size(held.result());
            if (entry.getKey() != expected || !held.result().ok() || run.size() == maxResults
                    || (!run.isEmpty() && runBytes + size > maxPayloadBytes)) {
                break;
            }
            run.add(held);
            runBytes += size;
            expected++;
        }
        return run;
    }

    /** Forgets a result once it was delivered. */
    void remove(long sequence) {
        Held<I> removed = bySequence.remove(sequence);
        if (removed != null) {
            bytes -= size(removed.result());
        }
    }

    /** The payload bytes held. */
    long bytes() {
        return bytes;
    }

    long maxBytes() {
        return maxBytes;
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
