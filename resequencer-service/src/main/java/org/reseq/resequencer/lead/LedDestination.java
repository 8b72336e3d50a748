package org.reseq.resequencer.lead;

import org.reseq.model.lease.Lease;
import org.reseq.model.redis.Incarnation;

/**
 * One destination as its leader knows it during one lease: the lease, the {@link Line} (released
 * and dispatched cursors, finished results), the last sequence and delivered cursor as last seen,
 * and its {@link DestinationSettings}. The leader's steps share this one object, so that none keeps
 * a copy of its own that could fall behind the others.
 *
 * <p>Owned by the leader's thread, like everything it holds; {@link #begin} is called once, when
 * the lease starts, before any step.
 */
final class LedDestination {

    private final String name;
    private final DestinationSettings settings;
    private Lease lease;
    private Line line;
    private long lastSequence;
    private long delivered;

    LedDestination(String name) {
        this.name = name;
        this.settings = new DestinationSettings(name);
    }

    /** The lease starts: the line starts after its cursor, the released one PostgreSQL has. */
    void begin(Lease started) {
        this.lease = started;
        this.line = new Line(started.position());
    }

    String name() {
        return name;
    }

    /** The incarnation led: what names its Redis keys. */
    Incarnation incarnation() {
        return Incarnation.of(lease);
    }

    Lease lease() {
        return lease;
    }

    Line line() {
        return line;
    }

    DestinationSettings settings() {
        return settings;
    }

    /** The highest sequence ingress committed, as last seen. */
    long lastSequence() {
        return lastSequence;
    }

    /** The EGRESS cursor, as last seen. */
    long delivered() {
        return delivered;
    }

    /**
     * Ingress committed deliveries up to {@code last}; an older, lower figure changes nothing.
     *
     * @return whether it moved the last sequence
     */
    boolean ingestedUpTo(long last) {
        boolean moved = last > lastSequence;
        lastSequence = Math.max(lastSequence, last);
        return moved;
    }

    /**
     * Egress delivered up to {@code cursor}; an older, lower figure changes nothing.
     *
     * @return whether it moved the delivered cursor
     */
    boolean deliveredUpTo(long cursor) {
        boolean moved = cursor > delivered;
        delivered = Math.max(delivered, cursor);
        return moved;
    }
}
