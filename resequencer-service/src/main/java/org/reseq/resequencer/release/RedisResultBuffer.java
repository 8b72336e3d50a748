package org.reseq.resequencer.release;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.reseq.model.lease.Lease;
import org.reseq.model.lease.LeaseLostException;
import org.reseq.model.redis.Codec;
import org.reseq.model.redis.Incarnation;
import org.reseq.model.redis.LuaScripts;
import org.reseq.model.redis.RedisDataLostException;
import org.reseq.model.redis.RedisKeys;
import org.reseq.model.redis.TransformResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.HashOperations;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

/**
 * The reorder buffer in Redis: the hash {@code done:{d}} that workers write results into, the
 * stream {@code out:{d}} egress reads, and the fence {@code fence:{d}}, all in one hash slot so
 * that a release is one atomic script.
 *
 * <p>Thread-safe (stateless apart from the thread-safe templates).
 */
@Component
public class RedisResultBuffer implements ResultBuffer {

    private static final Logger log = LoggerFactory.getLogger(RedisResultBuffer.class);
    /** The fence scripts' answer when a higher epoch holds the fence. */
    private static final long FENCED = -1;
    /** The release script's answer when the fence is missing or older than the leader's claim. */
    private static final long LOST = -2;

    private final RedisTemplate<String, byte[]> redis;
    private final StringRedisTemplate strings;
    private final RedisKeys keys;
    private final RedisScript<Long> releaseScript = script("release");
    private final RedisScript<Long> claimScript = script("claim");
    private final RedisScript<Long> checkScript = script("check");

    public RedisResultBuffer(RedisTemplate<String, byte[]> redis, StringRedisTemplate strings, RedisKeys keys) {
        this.redis = redis;
        this.strings = strings;
        this.keys = keys;
    }

    private static RedisScript<Long> script(String name) {
        return LuaScripts.load("scripts/" + name + ".lua", Long.class);
    }

    @Override
    public Fence claim(Lease lease) {
        long answer = fenced(lease, run(claimScript, lease, List.of(keys.fence(Incarnation.of(lease)))));
        return answer == 0 ? Fence.MISSING : Fence.OURS;
    }

    @Override
    public Check check(Lease lease) {
        Incarnation destination = Incarnation.of(lease);
        long answer = fenced(lease, run(checkScript, lease, List.of(keys.fence(destination), keys.rewind(destination))));
        return answer == 0 ? new Check(Fence.MISSING, false) : new Check(Fence.OURS, answer == 2);
    }

    private long run(RedisScript<Long> script, Lease lease, List<String> scriptKeys) {
        Long answer = strings.execute(script, scriptKeys, Long.toString(lease.epoch()));
        if (answer == null) {
            throw new IllegalStateException("A fence script of " + lease.destination() + " answered nothing");
        }
        return answer;
    }

    /** The scripts' answer, unless it is -1 (a higher epoch holds the fence): the named race. */
    private static long fenced(Lease lease, long answer) {
        if (answer == FENCED) {
            throw new LeaseLostException(lease, "a resequencer with a higher epoch claimed " + lease.destination());
        }
        return answer;
    }

    /** The release script's answer as a count, or the race it names. */
    private static long moved(Lease lease, Long answer, String when) {
        if (answer == null) {
            throw new IllegalStateException("The release script of " + lease.destination() + " answered nothing");
        }
        if (answer == LOST) {
            throw new RedisDataLostException(lease.destination(), when);
        }
        return fenced(lease, answer);
    }

    @Override
    public Map<Long, Boolean> scan(Incarnation destination, long released, Set<Long> known) {
        HashOperations<String, String, byte[]> hash = redis.opsForHash();
        String done = keys.done(destination);
        List<String> stale = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (String field : hash.keys(done)) {
            long sequence;
            try {
                sequence = Long.parseLong(field);
            } catch (NumberFormatException e) {
                log.warn("Ignoring the field '{}' of {}: not a sequence", field, done);
                continue;
            }
            if (sequence <= released) {
                stale.add(field);
            } else if (!known.contains(sequence)) {
                unknown.add(field);
            }
        }
        if (!stale.isEmpty()) {
            hash.delete(done, stale.toArray());
        }
        Map<Long, Boolean> found = new HashMap<>();
        if (unknown.isEmpty()) {
            return found;
        }
        List<byte[]> values = hash.multiGet(done, unknown);
        for (int i = 0; i < unknown.size(); i++) {
            byte[] value = values.get(i);
            if (value == null) {
                continue; // released or discarded between HKEYS and HMGET
            }
            try {
                found.put(Long.parseLong(unknown.get(i)), Codec.decodeResult(value).ok());
            } catch (IllegalArgumentException e) {
                log.warn("Ignoring the unreadable result {} of {}: {}", unknown.get(i), done, e.getMessage());
            }
        }
        return found;
    }

    @Override
    public void store(Incarnation destination, List<TransformResult> results) {
        if (results.isEmpty()) {
            return;
        }
        Map<String, byte[]> fields = new LinkedHashMap<>();
        for (TransformResult result : results) {
            fields.put(Long.toString(result.sequence()), Codec.encode(result));
        }
        redis.<String, byte[]>opsForHash().putAll(keys.done(destination), fields); // one HSET
    }

    @Override
    public void discard(Incarnation destination, long sequence) {
        redis.opsForHash().delete(keys.done(destination), Long.toString(sequence));
    }

    @Override
    public long release(Lease lease, long first, long last) {
        lease.ensureValid(); // a holder past its deadline releases nothing, fenced or not
        Incarnation destination = Incarnation.of(lease);
        Long released = strings.execute(releaseScript,
                List.of(keys.done(destination), keys.out(destination), keys.fence(destination)),
                Long.toString(lease.epoch()), Long.toString(first), Long.toString(last), RedisKeys.VALUE_FIELD,
                keys.releasedChannel(), lease.destination());
        return moved(lease, released, "at release");
    }

    @Override
    public long releaseInstead(Lease lease, long sequence, TransformResult placeholder) {
        lease.ensureValid();
        Incarnation destination = Incarnation.of(lease);
        // the binary template, because the placeholder is binary: every argument goes as bytes
        Long released = redis.execute(releaseScript,
                List.of(keys.done(destination), keys.out(destination), keys.fence(destination)),
                bytes(Long.toString(lease.epoch())), bytes(Long.toString(sequence)), bytes(Long.toString(sequence)),
                bytes(RedisKeys.VALUE_FIELD), bytes(keys.releasedChannel()), bytes(lease.destination()),
                Codec.encode(placeholder));
        return moved(lease, released, "at a skip");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Optional<TransformResult> result(Incarnation destination, long sequence) {
        byte[] value = redis.<String, byte[]>opsForHash().get(keys.done(destination), Long.toString(sequence));
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Codec.decodeResult(value));
        } catch (IllegalArgumentException e) {
            log.warn("Ignoring the unreadable result {} of {}: {}", sequence, destination, e.getMessage());
            return Optional.empty();
        }
    }
}
