package org.reseq.worker;

import java.nio.charset.StandardCharsets;
import org.reseq.model.redis.Incarnation;
import org.reseq.model.redis.RedisKeys;
import org.springframework.data.redis.core.RedisTemplate;

/**
 * The destinations of the worker tests, each in its first incarnation, as a resequencer leader
 * leaves them before it dispatches work: with their fence claimed, without which a worker keeps
 * no result.
 */
final class ClaimedIncarnations {

    /** The incarnation of every test destination. */
    static final int ID = 1;

    private ClaimedIncarnations() {
    }

    static Incarnation of(String destination) {
        return new Incarnation(destination, ID);
    }

    /** The done buffer of the destination's incarnation. */
    static String done(RedisKeys keys, String destination) {
        return keys.done(of(destination));
    }

    /** Claims the destination's fence, as its resequencer leader does before it dispatches. */
    static void claim(RedisTemplate<String, byte[]> redis, RedisKeys keys, String destination) {
        redis.opsForValue().setIfAbsent(keys.fence(of(destination)), "1".getBytes(StandardCharsets.UTF_8));
    }
}
