package org.reseq.egress.leader;

import java.util.Optional;
import org.reseq.model.failure.OperatorCommand;
import org.reseq.model.lease.Lease;
import org.reseq.model.redis.FencedQueue;
import org.reseq.model.redis.Incarnation;
import org.reseq.model.redis.RedisKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * The {@link Redeliveries} in Redis: a list per destination that the admin API appends to, taken
 * from by a script that checks the destination's egress fence in the same step. Stateless and
 * thread-safe; every leader uses it for its own destination only.
 */
@Component
class RedisRedeliveries implements Redeliveries {

    private static final Logger log = LoggerFactory.getLogger(RedisRedeliveries.class);

    private final StringRedisTemplate redis;
    private final RedisKeys keys;
    private final FencedQueue queue;

    RedisRedeliveries(StringRedisTemplate redis, RedisKeys keys) {
        this.redis = redis;
        this.keys = keys;
        this.queue = new FencedQueue(redis);
    }

    @Override
    public void claim(Lease lease) {
        queue.claim(lease, keys.egressFence(Incarnation.of(lease)));
    }

    @Override
    public Optional<OperatorCommand> next(Lease lease) {
        Incarnation destination = Incarnation.of(lease);
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

    @Override
    public void putBack(Incarnation destination, OperatorCommand command) {
        redis.opsForList().leftPush(keys.redeliveries(destination), command.encode());
    }

    @Override
    public boolean pending(Incarnation destination) {
        try {
            Long size = redis.opsForList().size(keys.redeliveries(destination));
            return size != null && size > 0;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
