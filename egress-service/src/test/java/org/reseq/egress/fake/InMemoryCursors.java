package org.reseq.egress.fake;

import java.util.HashMap;
import java.util.Map;
import org.reseq.model.lease.Cursors;
import org.reseq.model.lease.Lease;
import org.reseq.model.lease.LeaseLostException;
import org.reseq.model.lease.LeaseRole;

/**
 * The cursors in memory, fenced by the epoch the test says is current, as {@code FencedCursors}
 * is by the row's epoch (see {@code CursorsContract}). Before any holder was named, every epoch
 * may write. Thread-safe: the leader's thread and the test's thread both use it.
 */
public final class InMemoryCursors implements Cursors {

    private final Map<String, Long> positions = new HashMap<>();
    private final Map<String, Long> epochs = new HashMap<>();

    /** A holder took the lease with {@code epoch}: other holders' writes are refused from now on. */
    public synchronized void taken(String destination, LeaseRole role, long epoch) {
        epochs.put(key(destination, role), epoch);
    }

    /** Sets a cursor as its holder would, for example the released cursor the resequencer keeps. */
    public synchronized void set(String destination, LeaseRole role, long position) {
        positions.put(key(destination, role), position);
    }

    /** Whether {@code lease}'s epoch is the one that may write now. */
    public synchronized boolean holds(Lease lease) {
        return epochs.getOrDefault(key(lease.destination(), lease.role()), lease.epoch()) == lease.epoch();
    }

    @Override
    public synchronized void advance(Lease lease, long position) {
        lease.ensureValid();
        if (!holds(lease)) {
            throw new LeaseLostException(lease, "the epoch moved on");
        }
        positions.put(key(lease.destination(), lease.role()), position);
    }

    @Override
    public synchronized long position(String destination, LeaseRole role) {
        return positions.getOrDefault(key(destination, role), 0L);
    }

    private static String key(String destination, LeaseRole role) {
        return destination + "/" + role;
    }
}
