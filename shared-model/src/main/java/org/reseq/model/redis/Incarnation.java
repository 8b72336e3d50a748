package org.reseq.model.redis;

import org.reseq.model.lease.Lease;

/**
 * One life of a destination name: from its creation to its deletion. Its id is the destination
 * row's id, which a name created again never gets twice. Every Redis key of a destination names
 * its incarnation, so that nothing an old incarnation left behind (a result a worker finished
 * after the delete, an out-stream entry, an operator command) is ever read by a new one.
 *
 * @param destination the destination's name
 * @param id the destination row's id
 */
public record Incarnation(String destination, int id) {

    /** The incarnation a lease was taken for. */
    public static Incarnation of(Lease lease) {
        return new Incarnation(lease.destination(), lease.destinationId());
    }

    /** What the keys hold between braces: the Redis Cluster hash tag of the incarnation's keys. */
    String tag() {
        return destination + "#" + id;
    }

    @Override
    public String toString() {
        return tag();
    }
}
