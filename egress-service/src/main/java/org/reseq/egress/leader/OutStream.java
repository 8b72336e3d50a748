package org.reseq.egress.leader;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.reseq.model.redis.Incarnation;
import org.reseq.model.redis.TransformResult;
import org.springframework.data.redis.connection.stream.RecordId;

/**
 * A destination's out stream of released results, as its egress leader reads and trims it, and
 * the two signals the leader sends back to the resequencer: how far delivery got, and a request
 * to release again after a gap. Implementations are shared by every leader and must be
 * thread-safe; each leader uses them for its own destination only.
 */
public interface OutStream {

    /** Stream order of entry ids: by time part, then sequence part. */
    Comparator<RecordId> ID_ORDER = Comparator.comparing(RecordId::getTimestamp).thenComparing(RecordId::getSequence);

    /** One released result as read from the stream; {@code result} is null when it cannot be decoded. */
    record Entry(RecordId id, TransformResult result) {
    }

    /**
     * Reads at most {@code count} entries in stream order, after {@code after} (exclusive), or from
     * the start when {@code after} is null.
     */
    List<Entry> read(Incarnation destination, RecordId after, int count);

    /** The entry at the head of the stream, the oldest one still in it. */
    Optional<Entry> first(Incarnation destination);

    /** Removes entries that were delivered or found to be repeats; ids no longer there are ignored. */
    void delete(Incarnation destination, List<RecordId> ids);

    /**
     * Asks the resequencer to release again everything after {@code delivered}: egress waited too
     * long for a sequence the resequencer released (Redis may have lost it). A later request
     * replaces an earlier one not yet taken.
     */
    void requestRewind(Incarnation destination, long delivered);

    /** Tells the resequencer how far delivery got, so it can move its window on. A hint: it may be lost. */
    void publishDelivered(String destination, long deliveredSequence);
}
