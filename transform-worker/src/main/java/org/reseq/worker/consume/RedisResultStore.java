package org.reseq.worker.consume;

import org.reseq.model.redis.Codec;
import org.reseq.model.redis.RedisKeys;
import org.reseq.model.redis.Signal;
import org.reseq.model.redis.TransformResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * Stores results in the destinations' done buffers and tells the resequencer about them.
 * Thread-safe. Writing a result twice is harmless: it is idempotent per (destination, sequence).
 */
@Component
class RedisResultStore {

    private static final Logger log = LoggerFactory.getLogger(RedisResultStore.class);

    private final RedisTemplate<String, byte[]> redis;
    private final StringRedisTemplate strings;
    private final RedisKeys keys;

    RedisResultStore(RedisTemplate<String, byte[]> binaryRedisTemplate, StringRedisTemplate strings, RedisKeys keys) {
        this.redis = binaryRedisTemplate;
        this.strings = strings;
        this.keys = keys;
    }

    /**
     * {@code HSET done:{destination} <sequence> <encoded result>} for a success; a failure is
     * stored only where no result exists ({@code HSETNX}), so that a failed duplicate copy of a
     * work item never overwrites the success of another copy. Throws when Redis fails.
     *
     * @return false when a failure was not stored because a result already existed
     */
    boolean store(String destination, TransformResult result) {
        String field = Long.toString(result.sequence());
        byte[] value = Codec.encode(result);
        if (result.ok()) {
            redis.opsForHash().put(keys.done(destination), field, value);
            return true;
        }
        return Boolean.TRUE.equals(redis.opsForHash().putIfAbsent(keys.done(destination), field, value));
    }

    /**
     * Publishes the {@code done} signal. Best effort: the resequencer also polls, so a lost
     * signal costs latency, never correctness.
     */
    void signalDone(String destination, TransformResult result) {
        try {
            strings.convertAndSend(keys.doneChannel(), Signal.done(destination, result.sequence(), result.ok()).encode());
        } catch (RuntimeException e) {
            log.warn("Could not publish the done signal of {}:{}: {}", destination, result.sequence(), e.toString());
        }
    }
}
