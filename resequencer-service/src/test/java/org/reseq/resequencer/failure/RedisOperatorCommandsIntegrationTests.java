package org.reseq.resequencer.failure;

import org.reseq.model.failure.OperatorCommand;
import org.reseq.model.redis.Incarnation;
import org.reseq.model.redis.RedisKeys;
import org.reseq.resequencer.fake.SharedRedis;
import org.springframework.data.redis.core.StringRedisTemplate;

/** The contract against Redis: the admin API's list and the fenced pop script. */
class RedisOperatorCommandsIntegrationTests extends OperatorCommandsContract {

    private static final RedisKeys KEYS = SharedRedis.freshKeys();

    private final StringRedisTemplate strings = SharedRedis.strings();
    private final RedisOperatorCommands commands = new RedisOperatorCommands(strings, KEYS);

    @Override
    OperatorCommands commands() {
        return commands;
    }

    @Override
    void queue(OperatorCommand command) {
        strings.opsForList().rightPush(KEYS.commands(incarnation(destination)), command.encode());
    }

    @Override
    void fence(long epoch) {
        strings.opsForValue().set(KEYS.fence(incarnation(destination)), Long.toString(epoch));
    }

    /** The incarnation the contract's leases lead: destination id 1. */
    private static Incarnation incarnation(String destination) {
        return new Incarnation(destination, 1);
    }
}
