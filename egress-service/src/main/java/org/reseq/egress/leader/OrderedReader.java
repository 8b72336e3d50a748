package org.reseq.egress.leader;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.reseq.model.redis.Incarnation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.stream.RecordId;

/**
 * Reads one destination's out stream ahead of delivery and hands its results out strictly in
 * sequence order, wherever in the stream each one turned up.
 *
 * <p>Every entry read is either held ({@link ReadAhead}) until its turn, or marked for removal:
 * repeats of delivered sequences, second copies, entries past the read-ahead limit and entries
 * that cannot be decoded (whatever they carried, the gap they leave is filled by a rewind).
 * Delivered entries are marked once delivered. Marked entries are removed from Redis only when
 * the leader says so, after it stored the delivered cursor.
 *
 * <p>Redis may lose the stream (flushed, restarted empty) and the resequencer then fills it again,
 * possibly with entry ids below the last one read, which reading on after that id would never
 * see. {@link #restartIfRecreated()} notices and reads the stream again from its start.
 *
 * <p>Not thread-safe: owned by one leader's thread.
 */
final class OrderedReader {

    private static final Logger log = LoggerFactory.getLogger(OrderedReader.class);
    /** The first read of a stream, before any entry's size is known. */
    private static final int FIRST_PAGE = 8;

    private final Incarnation incarnation;
    private final String destination;
    private final OutStream out;
    private final ReadAhead<RecordId> ahead;
    /** Entries to remove from the stream at the next {@link #removeConsumed()}. */
    private final List<RecordId> toRemove = new ArrayList<>();
    /** The last entry read; null: read from the start. */
    private RecordId lastRead;
    private boolean overflowLogged;
    /** What was read so far, to size the next read: payload bytes and entries. */
    private long readBytes;
    private long readEntries;

    OrderedReader(Incarnation incarnation, OutStream out, int readAheadLimit, long readAheadBytes) {
        this.incarnation = incarnation;
        this.destination = incarnation.destination();
        this.out = out;
        this.ahead = new ReadAhead<>(readAheadLimit, readAheadBytes);
    }

    /** The incarnation whose out stream this reads. */
    Incarnation incarnation() {
        return incarnation;
    }

    /**
     * Reads at most {@code count} more entries.
     *
     * @param delivered the delivered cursor: entries at or below it are repeats
     * @return true when the stream may hold more entries right now
     */
    boolean read(long delivered, int count) {
        int page = pageWithinBudget(count);
        List<OutStream.Entry> entries = out.read(incarnation, lastRead, page);
        for (OutStream.Entry entry : entries) {
            readBytes += entry.result() == null || entry.result().payload() == null ? 0
                    : entry.result().payload().length;
            readEntries++;
            take(entry, delivered);
        }
        return entries.size() == page;
    }

    /**
     * How many entries one read may take so that what is held stays within the read-ahead's byte
     * budget, judged by the average size read so far: at least one, so that a full read-ahead
     * still reads on (and lets go of its highest results) when it waits at a gap.
     */
    private int pageWithinBudget(int count) {
        if (readEntries == 0) {
            return Math.min(count, FIRST_PAGE);
        }
        long average = Math.max(1, readBytes / readEntries);
        long room = Math.max(0, ahead.maxBytes() - ahead.bytes());
        return (int) Math.max(1, Math.min(count, room / average));
    }

    /** The result to deliver next, if it was read. */
    Optional<ReadAhead.Held<RecordId>> next(long delivered) {
        return ahead.next(delivered);
    }

    /** The successful results next in line without a gap, within the limits ({@link ReadAhead#run}). */
    List<ReadAhead.Held<RecordId>> run(long delivered, int maxResults, long maxPayloadBytes) {
        return ahead.run(delivered, maxResults, maxPayloadBytes);
    }

    /** Marks a result delivered (or deliberately passed over): its entry goes at the next removal. */
    void consumed(ReadAhead.Held<RecordId> held) {
        ahead.remove(held.sequence());
        toRemove.add(held.id());
    }

    /** The lowest sequence read but not yet deliverable, if any. */
    Optional<Long> lowestHeld() {
        return ahead.lowest();
    }

    /** Removes the delivered and unneeded entries from the stream. */
    void removeConsumed() {
        if (!toRemove.isEmpty()) {
            out.delete(incarnation, toRemove);
            toRemove.clear();
        }
    }

    /**
     * Looks whether the stream was recreated since it was read: its head is an entry at or below
     * the last one read that this reader does not know (every such entry of an intact stream is
     * held or marked for removal). If so, reading starts again from the start of the stream;
     * what is held stays held, and entries seen twice are repeats or second copies.
     *
     * @return true when the stream is to be read again from its start
     */
    boolean restartIfRecreated() {
        if (lastRead == null) {
            return false;
        }
        Optional<OutStream.Entry> head = out.first(incarnation);
        if (head.isEmpty() || OutStream.ID_ORDER.compare(head.get().id(), lastRead) > 0) {
            return false;
        }
        OutStream.Entry entry = head.get();
        boolean known = toRemove.contains(entry.id())
                || entry.result() != null && ahead.holds(entry.id(), entry.result().sequence());
        if (known) {
            return false;
        }
        log.warn("{}: the out stream was recreated (Redis lost it?): its head {} is older than the last entry read, {};"
                + " reading it again from the start", destination, entry.id(), lastRead);
        lastRead = null;
        return true;
    }

    private void take(OutStream.Entry entry, long delivered) {
        lastRead = entry.id();
        if (entry.result() == null) {
            log.error("{}: entry {} of the out stream cannot be decoded; removing it (the sequence it carried, if"
                    + " needed, is released again after a rewind)", destination, entry.id());
            toRemove.add(entry.id());
            return;
        }
        long sequence = entry.result().sequence();
        boolean secondCopy = ahead.holds(sequence);
        List<RecordId> unneeded = ahead.offer(entry.id(), entry.result(), delivered);
        if (unneeded.isEmpty()) {
            return;
        }
        toRemove.addAll(unneeded);
        if (sequence <= delivered) {
            log.debug("{}: {} was delivered before; removing the repeat", destination, sequence);
        } else if (secondCopy) {
            log.debug("{}: {} was read twice; removing the second copy", destination, sequence);
        } else if (!overflowLogged) {
            overflowLogged = true;
            log.warn("{}: holding {} results read ahead of a gap; letting go of the highest, which come again after"
                    + " a rewind", destination, ahead.size());
        }
    }
}
