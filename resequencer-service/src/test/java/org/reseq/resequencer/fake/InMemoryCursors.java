package org.reseq.resequencer.fake;

import java.util.HashMap;
import java.util.Map;
import org.reseq.model.lease.Cursors;
import org.reseq.model.lease.Lease;
import org.reseq.model.lease.LeaseLostException;
import org.reseq.model.lease.LeaseRole;

/**
 * The cursors in memory, fenced by the epoch the test says is current, as {@code FencedCursors}
 * is by the row's epoch. Thread-safe.
 */
public final class InMemoryCursors implements Cursors {

    private final Map<String, Long> positions = new HashMap<>();
    private final Map<String, Long> epochs = new HashMap<>();

    /** A holder took the lease with {@code epoch}: older holders' writes are refused from now on. */
    public synchronized void taken(String destination, LeaseRole role, long epoch) {
        epochs.put(key(destination, role), epoch);
    }

    /** Sets a cursor as its holder would, for example the delivered cursor egress keeps. */
    public synchronized void set(String destination, LeaseRole role, long position) {
        positions.put(key(destination, role), position);
    }

    @Override
    public synchronized void advance(Lease lease, long position) {
        lease.ensureValid();
        String key = key(lease.destination(), lease.role());
        if (epochs.getOrDefault(key, lease.epoch()) != lease.epoch()) {
            throw new LeaseLostException(lease, "the epoch moved on");
        }
        positions.put(key, position);
    }

    @Override
    public synchronized long position(String destination, LeaseRole role) {
        return positions.getOrDefault(key(destination, role), 0L);
    }

    private static String key(String destination, LeaseRole role) {
        return destination + "/" + role;
    }
}
