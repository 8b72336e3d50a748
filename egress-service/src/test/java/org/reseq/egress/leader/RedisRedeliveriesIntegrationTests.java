package org.reseq.egress.leader;

import java.util.List;
import java.util.Optional;
import org.reseq.egress.fake.SharedRedis;
import org.reseq.model.redis.Incarnation;
import org.reseq.model.redis.RedisKeys;
import org.springframework.data.redis.core.StringRedisTemplate;

/** The contract against Redis: the admin API's list, the egress fence and the fenced pop script. */
class RedisRedeliveriesIntegrationTests extends RedeliveriesContract {

    private static final RedisKeys KEYS = SharedRedis.freshKeys();

    private final StringRedisTemplate strings = SharedRedis.strings();
    private final RedisRedeliveries redeliveries = new RedisRedeliveries(strings, KEYS);

    @Override
    Redeliveries redeliveries() {
        return redeliveries;
    }

    @Override
    void queue(String text) {
        strings.opsForList().rightPush(KEYS.redeliveries(incarnation(destination)), text);
    }

    @Override
    Optional<Long> fence() {
        return Optional.ofNullable(strings.opsForValue().get(KEYS.egressFence(incarnation(destination))))
                .map(Long::parseLong);
    }

    @Override
    void fence(long epoch) {
        strings.opsForValue().set(KEYS.egressFence(incarnation(destination)), Long.toString(epoch));
    }

    @Override
    List<String> waiting() {
        return strings.opsForList().range(KEYS.redeliveries(incarnation(destination)), 0, -1);
    }

    /** The incarnation the contract works on: destination id 1. */
    private static Incarnation incarnation(String destination) {
        return new Incarnation(destination, 1);
    }
}
