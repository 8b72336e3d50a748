package org.reseq.resequencer.failure;

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
 * {@link OperatorCommands} on the Redis list {@code commands:{d}} (RPUSH by the admin API, LINDEX
 * here, and LPOP fenced by the resequencer's fence, see {@link FencedQueue}). Thread-safe
 * (stateless apart from the thread-safe template).
 */
@Component
class RedisOperatorCommands implements OperatorCommands {

    private static final Logger log = LoggerFactory.getLogger(RedisOperatorCommands.class);

    private final StringRedisTemplate strings;
    private final RedisKeys keys;
    private final FencedQueue queue;

    RedisOperatorCommands(StringRedisTemplate strings, RedisKeys keys) {
        this.strings = strings;
        this.keys = keys;
        this.queue = new FencedQueue(strings);
    }

    @Override
    public Optional<OperatorCommand> peek(Incarnation destination) {
        String key = keys.commands(destination);
        while (true) {
            String text = strings.opsForList().index(key, 0);
            if (text == null) {
                return Optional.empty();
            }
            try {
                return Optional.of(OperatorCommand.decode(text));
            } catch (IllegalArgumentException e) {
                log.warn("Dropping an unreadable operator command of {}: '{}'", destination, text);
                strings.opsForList().leftPop(key);
            }
        }
    }

    @Override
    public void taken(Lease lease) {
        // a missing fence is not claimed here: the leader's next poll sees it and rewinds first
        queue.pop(lease, keys.commands(Incarnation.of(lease)), keys.fence(Incarnation.of(lease)), false);
    }
}
