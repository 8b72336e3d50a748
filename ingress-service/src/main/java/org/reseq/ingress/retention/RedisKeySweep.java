package org.reseq.ingress.retention;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.reseq.model.redis.RedisKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Removes the Redis keys of destinations that no longer exist. Deleting a destination removes its
 * keys at once, but that is best effort (Redis may be down at that moment), and a leader that had
 * not yet noticed the delete may write one more key after it. Every key of a destination names
 * its incarnation, whose id is the destination row's id, never reused: a key whose id is no
 * destination's any more is garbage.
 *
 * <p>The keys are listed (SCAN, in steps, never blocking Redis, on every master of a Redis Cluster:
 * {@link ClusterWideScan}) before the live ids are read, so a destination created meanwhile is
 * among them and keeps its keys. The keys of different destinations lie in different hash slots;
 * the one DEL for all of them is split per slot by the cluster client.
 *
 * <p>Called on the retention thread only.
 */
final class RedisKeySweep {

    private static final Logger log = LoggerFactory.getLogger(RedisKeySweep.class);
    private static final int SCAN_STEP = 1_000;

    private final StringRedisTemplate redis;
    private final RedisKeys keys;
    private final JdbcClient jdbc;
    private final Counter removed;

    RedisKeySweep(StringRedisTemplate redis, RedisKeys keys, JdbcClient jdbc, MeterRegistry registry) {
        this.redis = redis;
        this.keys = keys;
        this.jdbc = jdbc;
        this.removed = Counter.builder("reseq.retention.redis.keys.removed")
                .description("Redis keys of deleted destinations removed by retention").register(registry);
    }

    /** @return how many keys it removed */
    long sweep() {
        List<String> found = ClusterWideScan.keys(redis, keys.incarnationKeyPattern(), SCAN_STEP);
        if (found.isEmpty()) {
            return 0;
        }
        Set<Integer> live = new HashSet<>(jdbc.sql("select id from destination").query(Integer.class).list());
        List<String> gone = found.stream().filter(key -> {
            int id = keys.incarnationId(key);
            return id >= 0 && !live.contains(id);
        }).toList();
        if (gone.isEmpty()) {
            return 0;
        }
        Long deleted = redis.delete(gone);
        long count = deleted == null ? 0 : deleted;
        removed.increment(count);
        log.info("Removed {} Redis key(s) of deleted destinations", count);
        return count;
    }
}
