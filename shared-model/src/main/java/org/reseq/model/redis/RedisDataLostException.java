package org.reseq.model.redis;

/**
 * A leader found that Redis no longer holds its destination's data: the fence it claimed is gone
 * or older than its claim (a restart, a flush, a failover to a stale replica). Nothing was
 * written. The leader recovers in one place: it rewinds to the delivered cursor and dispatches
 * again from PostgreSQL, where everything is.
 */
public class RedisDataLostException extends RuntimeException {

    public RedisDataLostException(String destination, String when) {
        super("the fence of " + destination + " is missing " + when + ": Redis lost its data");
    }
}
