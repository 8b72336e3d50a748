package org.reseq.worker.consume;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.reseq.model.redis.Codec;
import org.reseq.model.redis.Incarnation;
import org.reseq.model.redis.LuaScripts;
import org.reseq.model.redis.RedisKeys;
import org.reseq.model.redis.Signal;
import org.reseq.model.redis.TransformResult;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

/**
 * Stores each result in its destination's done buffer and tells the resequencer about it, in one
 * script call that touches only that destination's keys, so that it keeps to one hash slot on a
 * Redis Cluster. Acknowledging the work stream entry is a separate call
 * ({@link RedisWorkStream#acknowledgeAndDelete}): the work stream lives in another slot. Thread-safe.
 * Storing a result twice is harmless: a result is idempotent per (destination, sequence).
 */
@Component
class RedisResultStore {

    private static final byte[] SUCCESS = {'1'};
    private static final byte[] FAILURE = {'0'};

    private final RedisTemplate<String, byte[]> redis;
    private final RedisKeys keys;
    private final RedisScript<Long> store;

    RedisResultStore(RedisTemplate<String, byte[]> binaryRedisTemplate, RedisKeys keys) {
        this.redis = binaryRedisTemplate;
        this.keys = keys;
        this.store = LuaScripts.load("scripts/worker-store-result.lua", Long.class);
    }

    /** What became of a result. */
    enum Stored {
        /** Stored and announced. */
        STORED,
        /** A failure not stored, because a result already existed. */
        KEPT_EXISTING,
        /** Not stored: the incarnation it was for is gone (its destination deleted, or Redis lost its data). */
        INCARNATION_GONE
    }

    /**
     * {@code HSET done:{incarnation} <sequence> <encoded result>} for a success, while the
     * incarnation's fence exists (see {@code worker-store-result.lua}); a failure is
     * stored only where no result exists ({@code HSETNX}), so that a failed duplicate copy of a
     * work item never overwrites the success of another copy. A stored result is announced on the
     * done channel (a hint: the resequencer also polls). Throws when Redis fails: the caller then
     * does not acknowledge the entry, which stays pending for another attempt.
     *
     * @return what became of the result
     */
    Stored store(Incarnation destination, TransformResult result) {
        // Arguments go out through the template's value serializer, which passes bytes unchanged.
        Long stored = redis.execute(store, scriptKeys(keys, destination),
                utf8(Long.toString(result.sequence())), Codec.encode(result), result.ok() ? SUCCESS : FAILURE,
                utf8(keys.doneChannel()),
                utf8(Signal.done(destination.destination(), result.sequence(), result.ok()).encode()));
        if (stored != null && stored == 1L) {
            return Stored.STORED;
        }
        return stored != null && stored < 0 ? Stored.INCARNATION_GONE : Stored.KEPT_EXISTING;
    }

    /** The keys the store script touches, in its order: all of them in the destination's hash slot. */
    static List<String> scriptKeys(RedisKeys keys, Incarnation destination) {
        return List.of(keys.done(destination), keys.fence(destination));
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
