package org.reseq.resequencer.failure;

import java.util.Optional;
import org.reseq.model.failure.OperatorCommand;
import org.reseq.model.redis.RedisKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * {@link OperatorCommands} on the Redis list {@code commands:{d}} (RPUSH by the admin API, LINDEX
 * and LPOP here). Thread-safe (stateless apart from the thread-safe template).
 */
@Component
class RedisOperatorCommands implements OperatorCommands {

    private static final Logger log = LoggerFactory.getLogger(RedisOperatorCommands.class);

    private final StringRedisTemplate strings;
    private final RedisKeys keys;

    RedisOperatorCommands(StringRedisTemplate strings, RedisKeys keys) {
        this.strings = strings;
        this.keys = keys;
    }

    @Override
    public Optional<OperatorCommand> peek(String destination) {
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
    public void taken(String destination) {
        strings.opsForList().leftPop(keys.commands(destination));
    }
}
