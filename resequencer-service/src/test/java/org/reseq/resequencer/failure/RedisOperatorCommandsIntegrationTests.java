package org.reseq.resequencer.failure;

import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.reseq.infra.Infrastructure;
import org.reseq.infra.RedisServerAddress;
import org.reseq.model.failure.OperatorCommand;
import org.reseq.model.redis.RedisKeys;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/** The contract against Redis: the admin API's list and the fenced pop script. */
class RedisOperatorCommandsIntegrationTests extends OperatorCommandsContract {

    private static LettuceConnectionFactory connections;
    private static StringRedisTemplate strings;
    private static final RedisKeys KEYS = new RedisKeys("contract-" + UUID.randomUUID() + ":");

    private final RedisOperatorCommands commands = new RedisOperatorCommands(strings, KEYS);

    @BeforeAll
    static void connect() {
        RedisServerAddress address = Infrastructure.redis();
        connections = new LettuceConnectionFactory(new RedisStandaloneConfiguration(address.host(), address.port()));
        connections.afterPropertiesSet();
        connections.start();
        strings = new StringRedisTemplate(connections);
    }

    @AfterAll
    static void disconnect() {
        connections.destroy();
    }

    @Override
    OperatorCommands commands() {
        return commands;
    }

    @Override
    void queue(OperatorCommand command) {
        strings.opsForList().rightPush(KEYS.commands(destination), command.encode());
    }

    @Override
    void fence(long epoch) {
        strings.opsForValue().set(KEYS.fence(destination), Long.toString(epoch));
    }
}
