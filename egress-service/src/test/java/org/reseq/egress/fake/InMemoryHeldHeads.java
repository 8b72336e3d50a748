package org.reseq.egress.fake;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.reseq.egress.leader.HeldHeads;
import org.reseq.model.redis.HeldHead;
import org.reseq.model.redis.Incarnation;

/** The held heads in memory, with the semantics of Redis (see {@code HeldHeadsContract}). Thread-safe. */
public final class InMemoryHeldHeads implements HeldHeads {

    private final Map<Incarnation, HeldHead> held = new ConcurrentHashMap<>();

    @Override
    public void hold(Incarnation destination, long sequence, String why) {
        held.put(destination, new HeldHead(sequence, why));
    }

    @Override
    public void clear(Incarnation destination) {
        held.remove(destination);
    }

    @Override
    public Optional<HeldHead> held(Incarnation destination) {
        return Optional.ofNullable(held.get(destination));
    }
}
