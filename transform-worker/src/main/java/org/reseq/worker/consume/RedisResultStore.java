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
 * Completes work stream entries: stores each result in its destination's done buffer, tells the
 * resequencer about it and acknowledges the entry, in one script call (one round trip, atomic).
 * Thread-safe. Completing an entry twice is harmless: a result is idempotent per (destination,
 * sequence), and acknowledging twice does nothing.
 */
@Component
class RedisResultStore {

    private static final byte[] SUCCESS = {'1'};
    private static final byte[] FAILURE = {'0'};

    private final RedisTemplate<String, byte[]> redis;
    private final RedisKeys keys;
    private final RedisScript<Long> complete;

    RedisResultStore(RedisTemplate<String, byte[]> binaryRedisTemplate, RedisKeys keys) {
        this.redis = binaryRedisTemplate;
        this.keys = keys;
        this.complete = LuaScripts.load("scripts/worker-complete.lua", Long.class);
    }

    /** What became of a result. */
    enum Completion {
        /** Stored and announced. */
        STORED,
        /** A failure not stored, because a result already existed. */
        KEPT_EXISTING,
        /** Not stored: the incarnation it was for is gone (its destination deleted, or Redis lost its data). */
        INCARNATION_GONE
    }

    /**
     * {@code HSET done:{incarnation} <sequence> <encoded result>} for a success, while the
     * incarnation's fence exists (see {@code worker-complete.lua}); a failure is
     * stored only where no result exists ({@code HSETNX}), so that a failed duplicate copy of a
     * work item never overwrites the success of another copy. A stored result is announced on the
     * done channel (a hint: the resequencer also polls). Then the entry is acknowledged and
     * deleted. Throws when Redis fails: the entry then stays pending for another attempt.
     *
     * @return what became of the result
     */
    Completion complete(Incarnation destination, TransformResult result, String entryId) {
        // Arguments go out through the template's value serializer, which passes bytes unchanged.
        Long stored = redis.execute(complete, List.of(keys.done(destination), keys.work(), keys.fence(destination)),
                utf8(Long.toString(result.sequence())), Codec.encode(result), result.ok() ? SUCCESS : FAILURE,
                utf8(RedisKeys.WORKER_GROUP), utf8(entryId), utf8(keys.doneChannel()),
                utf8(Signal.done(destination.destination(), result.sequence(), result.ok()).encode()));
        if (stored != null && stored == 1L) {
            return Completion.STORED;
        }
        return stored != null && stored < 0 ? Completion.INCARNATION_GONE : Completion.KEPT_EXISTING;
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
