package org.reseq.resequencer.release;

import java.util.List;
import org.reseq.model.redis.Codec;
import org.reseq.model.redis.RedisKeys;
import org.reseq.model.redis.TransformResult;
import org.reseq.resequencer.fake.SharedRedis;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.core.StringRedisTemplate;

/** The contract against Redis and the release, claim and check scripts. */
class RedisResultBufferIntegrationTests extends ResultBufferContract {

    private static final RedisKeys KEYS = SharedRedis.freshKeys();

    private final RedisTemplate<String, byte[]> redis = SharedRedis.binary();
    private final StringRedisTemplate strings = SharedRedis.strings();
    private final RedisResultBuffer buffer = new RedisResultBuffer(redis, strings, KEYS);

    @Override
    ResultBuffer buffer() {
        return buffer;
    }

    @Override
    void finished(String destination, TransformResult result) {
        redis.opsForHash().put(KEYS.done(destination), Long.toString(result.sequence()), Codec.encode(result));
    }

    @Override
    List<Long> released(String destination) {
        return redis.opsForStream().range(KEYS.out(destination), org.springframework.data.domain.Range.unbounded())
                .stream()
                .map(entry -> Codec.decodeResult((byte[]) entry.getValue().get(RedisKeys.VALUE_FIELD)).sequence())
                .toList();
    }

    @Override
    void requestRewind(String destination) {
        strings.opsForValue().set(KEYS.rewind(destination), "0");
    }

    @Override
    void lose(String destination) {
        redis.delete(List.of(KEYS.done(destination), KEYS.out(destination), KEYS.fence(destination),
                KEYS.rewind(destination)));
    }
}
