package org.reseq.model.redis;

import java.util.List;

/**
 * The Redis key layout shared by all services. Every per-destination key puts the destination's
 * {@link Incarnation} in a hash tag ({@code reseq:done:{orders#17}}) so one destination's keys
 * share a Redis Cluster slot and a release can be one atomic script, and so that a destination
 * deleted and created again under its name never sees the old one's data.
 *
 * <p>Keys of no destination (the work stream, the transform catalog) carry no hash tag: on a
 * Redis Cluster they lie in slots of their own, so no script takes them together with a
 * destination's keys.
 *
 * @param prefix prepended to every key and channel, for example {@code reseq:}; without braces,
 *     which would make the prefix, not the incarnation, the hash tag
 */
public record RedisKeys(String prefix) {

    /** The consumer group of the transform workers on the work stream. */
    public static final String WORKER_GROUP = "transform-workers";

    /** The single field name under which stream entries carry their encoded value. */
    public static final String VALUE_FIELD = "v";

    public RedisKeys {
        if (prefix == null) {
            prefix = "";
        }
        if (prefix.contains("{") || prefix.contains("}")) {
            throw new IllegalArgumentException("The Redis key prefix '" + prefix + "' contains a brace: on a Redis"
                    + " Cluster it would decide the hash slot of keys in place of the destination's incarnation");
        }
    }

    /**
     * Hash: worker instance id to the transform types it runs, with when it last said so
     * ({@code org.reseq.model.transform.TransformCatalog}).
     */
    public String transformCatalog() {
        return prefix + "transform-catalog";
    }

    /** The stream of work items that transform workers consume through {@link #WORKER_GROUP}. */
    public String work() {
        return prefix + "work";
    }

    /** Hash: sequence (decimal) to encoded {@link TransformResult}, waiting for its turn. */
    public String done(Incarnation destination) {
        return prefix + "done:{" + destination.tag() + "}";
    }

    /** Stream of released results, in sequence order, waiting for egress. */
    public String out(Incarnation destination) {
        return prefix + "out:{" + destination.tag() + "}";
    }

    /** The highest resequencer epoch that wrote to this destination's keys; fences stale leaders. */
    public String fence(Incarnation destination) {
        return prefix + "fence:{" + destination.tag() + "}";
    }

    /** The highest egress epoch that took from this destination's redelivery queue; fences stale leaders. */
    public String egressFence(Incarnation destination) {
        return prefix + "egress-fence:{" + destination.tag() + "}";
    }

    /**
     * Set by egress when it has waited too long at a gap in the out stream (a sequence that
     * should have been released is missing, for example after Redis lost data); the resequencer
     * leader then rewinds its released cursor to the delivered one and releases again.
     */
    public String rewind(Incarnation destination) {
        return prefix + "rewind:{" + destination.tag() + "}";
    }

    /**
     * The message egress holds at the head of its line, as {@code <sequence> <why>}: the destination
     * rejects it for good or it cannot be framed, and the failure policy is BLOCK. Set and cleared
     * by the egress leader, read by the admin API (status, and where a head skip goes).
     */
    public String held(Incarnation destination) {
        return prefix + "egress-held:{" + destination.tag() + "}";
    }

    /** List of {@code OperatorCommand}s (RETRY, SKIP) for the destination's resequencer leader. */
    public String commands(Incarnation destination) {
        return prefix + "commands:{" + destination.tag() + "}";
    }

    /** List of {@code OperatorCommand}s (REDELIVER) for the destination's egress leader. */
    public String redeliveries(Incarnation destination) {
        return prefix + "redeliver:{" + destination.tag() + "}";
    }

    /** Every key of the incarnation: what deleting a destination removes. */
    public List<String> all(Incarnation destination) {
        return List.of(done(destination), out(destination), fence(destination), egressFence(destination),
                rewind(destination), held(destination), commands(destination), redeliveries(destination));
    }

    /** A SCAN pattern that matches every incarnation's keys (and perhaps more: check with {@link #incarnationId}). */
    public String incarnationKeyPattern() {
        return prefix + "*:{*#*}";
    }

    /**
     * @return the id of the incarnation whose key {@code key} is, or -1 when it is no incarnation's
     *     key of this prefix
     */
    public int incarnationId(String key) {
        if (!key.startsWith(prefix) || !key.endsWith("}")) {
            return -1;
        }
        int open = key.indexOf(":{", prefix.length());
        int hash = key.lastIndexOf('#');
        if (open < 0 || hash < open) {
            return -1;
        }
        try {
            return Integer.parseInt(key, hash + 1, key.length() - 1, 10);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Pub/sub channel: ingress committed deliveries ({@link Signal#ingested}). */
    public String ingestedChannel() {
        return prefix + "signal:ingested";
    }

    /** Pub/sub channel: a worker finished a work item ({@link Signal#done}). */
    public String doneChannel() {
        return prefix + "signal:done";
    }

    /** Pub/sub channel: the resequencer released a batch ({@link Signal#released}). */
    public String releasedChannel() {
        return prefix + "signal:released";
    }

    /**
     * Pub/sub channel: the admin API created or deleted a destination (the message is its name),
     * so that the lease keepers take or give up its leases now rather than at their next tick.
     */
    public String destinationsChannel() {
        return prefix + "signal:destinations";
    }

    /** Pub/sub channel: egress advanced its delivered cursor ({@link Signal#delivered}). */
    public String deliveredChannel() {
        return prefix + "signal:delivered";
    }
}
