package org.reseq.egress.leader;

import java.util.Optional;
import org.reseq.model.failure.OperatorCommand;
import org.reseq.model.lease.Lease;
import org.reseq.model.redis.FencedQueue;
import org.reseq.model.redis.RedisKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * The operators' redelivery commands of each destination: a Redis list that the admin API
 * appends {@link OperatorCommand}s to, and that the destination's leader takes from the front.
 * Stateless and thread-safe; every leader uses it for its own destination only.
 */
@Component
class Redeliveries {

    private static final Logger log = LoggerFactory.getLogger(Redeliveries.class);

    private final StringRedisTemplate redis;
    private final RedisKeys keys;
    private final FencedQueue queue;

    Redeliveries(StringRedisTemplate redis, RedisKeys keys) {
        this.redis = redis;
        this.keys = keys;
        this.queue = new FencedQueue(redis);
    }

    /**
     * Puts the lease's epoch in the destination's egress fence, so that from now on no older
     * leader takes a command.
     *
     * @throws org.reseq.model.lease.LeaseLostException when a newer leader claimed it already
     */
    void claim(Lease lease) {
        queue.claim(lease, keys.egressFence(lease.destination()));
    }

    /**
     * Takes the next command while {@code lease} holds, skipping (and logging) entries that are
     * not commands at all.
     *
     * @throws org.reseq.model.lease.LeaseLostException when the lease's term ended or a newer leader claimed the destination
     */
    Optional<OperatorCommand> next(Lease lease) {
        String destination = lease.destination();
        while (true) {
            Optional<String> taken = queue.pop(lease, keys.redeliveries(destination), keys.egressFence(destination),
                    true);
            if (taken.isEmpty()) {
                return Optional.empty();
            }
            String text = taken.get();
            try {
                return Optional.of(OperatorCommand.decode(text));
            } catch (IllegalArgumentException e) {
                log.warn("{}: ignoring {} in the redelivery commands: not an operator command", destination, text);
            }
        }
    }

    /** Puts a command taken but not carried out back at the front, to be taken first next time. */
    void putBack(String destination, OperatorCommand command) {
        redis.opsForList().leftPush(keys.redeliveries(destination), command.encode());
    }

    /**
     * Whether commands wait. An unreachable Redis counts as none: this is asked between delivery
     * attempts, which must not fail for it.
     */
    boolean pending(String destination) {
        try {
            Long size = redis.opsForList().size(keys.redeliveries(destination));
            return size != null && size > 0;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
