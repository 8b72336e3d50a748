package org.reseq.egress.leader;

import java.util.Optional;
import org.reseq.model.failure.ErrorTexts;
import org.reseq.model.redis.HeldHead;
import org.reseq.model.redis.Incarnation;
import org.reseq.model.redis.RedisKeys;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/** The held heads in Redis: {@code egress-held:{incarnation}} = {@code <sequence> <why>}. Thread-safe. */
@Component
class RedisHeldHeads implements HeldHeads {

    private final StringRedisTemplate redis;
    private final RedisKeys keys;

    RedisHeldHeads(StringRedisTemplate redis, RedisKeys keys) {
        this.redis = redis;
        this.keys = keys;
    }

    @Override
    public void hold(Incarnation destination, long sequence, String why) {
        redis.opsForValue().set(keys.held(destination), new HeldHead(sequence, ErrorTexts.clean(why)).encode());
    }

    @Override
    public void clear(Incarnation destination) {
        redis.delete(keys.held(destination));
    }

    @Override
    public Optional<HeldHead> held(Incarnation destination) {
        return HeldHead.decode(redis.opsForValue().get(keys.held(destination)));
    }
}
