package org.reseq.egress.fake;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.reseq.egress.leader.OutStream;
import org.reseq.model.redis.Incarnation;
import org.reseq.model.redis.TransformResult;
import org.springframework.data.redis.connection.stream.RecordId;

/**
 * The out streams in memory, with the semantics of the Redis streams (see {@code OutStreamContract},
 * which runs the same checks against both): entries in id order, ids that grow with every append,
 * a rewind request that a later one replaces, and the delivered signals as they were published.
 * It keeps one incarnation per name: tests of incarnations use Redis. Thread-safe: the leader's
 * thread and the test's thread both use it.
 */
public final class InMemoryOutStream implements OutStream {

    private final Map<String, TreeMap<RecordId, Entry>> streams = new HashMap<>();
    private final Map<String, Long> rewinds = new HashMap<>();
    private final Map<String, List<Long>> delivered = new HashMap<>();
    /** The time part of the next generated id, as Redis takes it from its clock. */
    private long nextIdTime = 1_000_000;

    /** The resequencer released {@code result}: appended with the next id. */
    public synchronized RecordId append(String destination, TransformResult result) {
        return append(destination, RecordId.of(nextIdTime++, 0), result);
    }

    /**
     * Appends with the id given, as a Redis that restarted empty may hand out ids below every one
     * read before.
     */
    public synchronized RecordId append(String destination, RecordId id, TransformResult result) {
        stream(destination).put(id, new Entry(id, result));
        return id;
    }

    /** Appends an entry that cannot be decoded. */
    public synchronized RecordId appendUndecodable(String destination) {
        RecordId id = RecordId.of(nextIdTime++, 0);
        stream(destination).put(id, new Entry(id, null));
        return id;
    }

    /** The store lost the stream. */
    public synchronized void lose(String destination) {
        streams.remove(destination);
    }

    /** The sequences still in the stream, in stream order; null for an entry that cannot be decoded. */
    public synchronized List<Long> sequences(String destination) {
        List<Long> sequences = new ArrayList<>();
        for (Entry entry : stream(destination).values()) {
            sequences.add(entry.result() == null ? null : entry.result().sequence());
        }
        return sequences;
    }

    /** The last rewind requested and not taken yet, empty when none was. */
    public synchronized OptionalLong rewindRequested(String destination) {
        Long position = rewinds.get(destination);
        return position == null ? OptionalLong.empty() : OptionalLong.of(position);
    }

    /** The resequencer took the rewind request. */
    public synchronized void takeRewind(String destination) {
        rewinds.remove(destination);
    }

    /** The delivered signals published, oldest first. */
    public synchronized List<Long> deliveredSignals(String destination) {
        return List.copyOf(delivered.getOrDefault(destination, List.of()));
    }

    @Override
    public synchronized List<Entry> read(Incarnation incarnation, RecordId after, int count) {
        TreeMap<RecordId, Entry> stream = stream(incarnation.destination());
        return (after == null ? stream : stream.tailMap(after, false)).values().stream().limit(count).toList();
    }

    @Override
    public synchronized Optional<Entry> first(Incarnation incarnation) {
        TreeMap<RecordId, Entry> stream = stream(incarnation.destination());
        return stream.isEmpty() ? Optional.empty() : Optional.of(stream.firstEntry().getValue());
    }

    @Override
    public synchronized void delete(Incarnation incarnation, List<RecordId> ids) {
        ids.forEach(stream(incarnation.destination())::remove);
    }

    @Override
    public synchronized void requestRewind(Incarnation incarnation, long delivered) {
        rewinds.put(incarnation.destination(), delivered);
    }

    @Override
    public synchronized void publishDelivered(String destination, long deliveredSequence) {
        delivered.computeIfAbsent(destination, d -> new ArrayList<>()).add(deliveredSequence);
    }

    private TreeMap<RecordId, Entry> stream(String destination) {
        return streams.computeIfAbsent(destination, d -> new TreeMap<>(ID_ORDER));
    }
}
