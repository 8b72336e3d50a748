package org.reseq.resequencer.fake;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.reseq.model.lease.Lease;
import org.reseq.model.lease.LeaseLostException;
import org.reseq.model.redis.Incarnation;
import org.reseq.model.redis.RedisDataLostException;
import org.reseq.model.redis.TransformResult;
import org.reseq.resequencer.release.ResultBuffer;

/**
 * The reorder buffer in memory, with the semantics of the Redis scripts (see
 * {@code ResultBufferContract}, which runs the same checks against both). For fast unit tests of
 * the leader. It keeps one incarnation per name: tests of incarnations use the real store.
 * Thread-safe: the leader's thread and the test's thread both use it.
 */
public final class InMemoryResultBuffer implements ResultBuffer {

    private final Map<String, Slot> slots = new HashMap<>();

    private static final class Slot {
        Long fence;
        boolean rewindRequested;
        final TreeMap<Long, TransformResult> done = new TreeMap<>();
        final List<TransformResult> out = new ArrayList<>();
    }

    private Slot slot(String destination) {
        return slots.computeIfAbsent(destination, d -> new Slot());
    }

    /** A worker finished {@code result}. */
    public synchronized void finished(String destination, TransformResult result) {
        slot(destination).done.put(result.sequence(), result);
    }

    /** What was released so far, in release order. */
    public synchronized List<TransformResult> out(String destination) {
        return List.copyOf(slot(destination).out);
    }

    /** The fence, empty when there is none. */
    public synchronized Optional<Long> fence(String destination) {
        return Optional.ofNullable(slot(destination).fence);
    }

    /** Sets the fence, as a newer leader's claim does. */
    public synchronized void fence(String destination, long epoch) {
        slot(destination).fence = epoch;
    }

    /** Egress asks for a rewind. */
    public synchronized void requestRewind(String destination) {
        slot(destination).rewindRequested = true;
    }

    /** Everything of {@code destination} is gone, as after a Redis restart. */
    public synchronized void lose(String destination) {
        slots.remove(destination);
    }

    @Override
    public synchronized Fence claim(Lease lease) {
        Slot slot = slot(lease.destination());
        refuseHigher(lease, slot);
        boolean missing = slot.fence == null;
        slot.fence = lease.epoch();
        return missing ? Fence.MISSING : Fence.OURS;
    }

    @Override
    public synchronized Check check(Lease lease) {
        Slot slot = slot(lease.destination());
        refuseHigher(lease, slot);
        boolean requested = slot.rewindRequested;
        slot.rewindRequested = false;
        if (slot.fence == null || slot.fence < lease.epoch()) {
            return new Check(Fence.MISSING, false);
        }
        return new Check(Fence.OURS, requested);
    }

    @Override
    public synchronized Map<Long, Boolean> scan(Incarnation destination, long released, Set<Long> known) {
        Slot slot = slot(destination.destination());
        slot.done.headMap(released, true).clear();
        Map<Long, Boolean> found = new HashMap<>();
        slot.done.forEach((sequence, result) -> {
            if (!known.contains(sequence)) {
                found.put(sequence, result.ok());
            }
        });
        return found;
    }

    @Override
    public synchronized void store(Incarnation destination, List<TransformResult> results) {
        results.forEach(result -> finished(destination.destination(), result));
    }

    @Override
    public synchronized void discard(Incarnation destination, long sequence) {
        slot(destination.destination()).done.remove(sequence);
    }

    @Override
    public synchronized long release(Lease lease, long first, long last) {
        lease.ensureValid();
        Slot slot = slot(lease.destination());
        fenced(lease, slot);
        long moved = 0;
        for (long sequence = first; sequence <= last; sequence++) {
            TransformResult result = slot.done.remove(sequence);
            if (result == null) {
                break;
            }
            slot.out.add(result);
            moved++;
        }
        return moved;
    }

    @Override
    public synchronized long releaseInstead(Lease lease, long sequence, TransformResult placeholder) {
        lease.ensureValid();
        Slot slot = slot(lease.destination());
        fenced(lease, slot);
        slot.done.put(sequence, placeholder);
        return release(lease, sequence, sequence);
    }

    @Override
    public synchronized Optional<TransformResult> result(Incarnation destination, long sequence) {
        return Optional.ofNullable(slot(destination.destination()).done.get(sequence));
    }

    private static void fenced(Lease lease, Slot slot) {
        if (slot.fence == null || slot.fence < lease.epoch()) {
            throw new RedisDataLostException(lease.destination(), "at release");
        }
        refuseHigher(lease, slot);
    }

    private static void refuseHigher(Lease lease, Slot slot) {
        if (slot.fence != null && slot.fence > lease.epoch()) {
            throw new LeaseLostException(lease, "a resequencer with a higher epoch claimed " + lease.destination());
        }
    }
}
