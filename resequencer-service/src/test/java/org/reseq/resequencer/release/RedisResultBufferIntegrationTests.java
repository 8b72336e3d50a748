package org.reseq.resequencer.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.reseq.model.lease.Lease;
import org.reseq.model.lease.LeaseRole;
import org.reseq.model.lease.LeaseTerm;
import org.reseq.model.redis.Codec;
import org.reseq.model.redis.Incarnation;
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
        redis.opsForHash().put(KEYS.done(incarnation(destination)), Long.toString(result.sequence()), Codec.encode(result));
    }

    @Override
    List<Long> released(String destination) {
        return redis.opsForStream().range(KEYS.out(incarnation(destination)), org.springframework.data.domain.Range.unbounded())
                .stream()
                .map(entry -> Codec.decodeResult((byte[]) entry.getValue().get(RedisKeys.VALUE_FIELD)).sequence())
                .toList();
    }

    @Override
    void requestRewind(String destination) {
        strings.opsForValue().set(KEYS.rewind(incarnation(destination)), "0");
    }

    @Override
    void lose(String destination) {
        redis.delete(List.of(KEYS.done(incarnation(destination)), KEYS.out(incarnation(destination)), KEYS.fence(incarnation(destination)),
                KEYS.rewind(incarnation(destination))));
    }

    /** Only in Redis: the in-memory buffer keeps one incarnation per name. */
    @Test
    void whatAnotherIncarnationOfTheNameLeftIsNeverSeenNorReleased() {
        String name = "reborn-" + UUID.randomUUID();
        Incarnation old = new Incarnation(name, 1);
        Lease current = new Lease(name, 2, LeaseRole.RESEQUENCER, 9, 0, LeaseTerm.renewedNow(Duration.ofSeconds(8)));
        TransformResult stale = new TransformResult(1, UUID.randomUUID(), true, "text/plain", new byte[] {1}, "", 1, 0);
        redis.opsForHash().put(KEYS.done(old), "1", Codec.encode(stale));
        buffer.claim(current);

        assertThat(buffer.scan(Incarnation.of(current), 0, Set.of())).isEmpty();
        assertThat(buffer.result(Incarnation.of(current), 1)).isEmpty();
        assertThat(buffer.release(current, 1, 1)).isZero();
        assertThat(redis.opsForStream().size(KEYS.out(Incarnation.of(current)))).isZero();
    }

    /** The incarnation the contract's leases lead: destination id 1. */
    private static Incarnation incarnation(String destination) {
        return new Incarnation(destination, 1);
    }
}
