package org.reseq.model.redis;

import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.reseq.model.leader.LeaderSweep;
import org.reseq.model.lease.Lease;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The Redis part of a {@link LeaderSweep} fingerprint: for each lease, a short text that changes
 * whenever one of the destination's watched keys does ({@code scripts/fingerprint.lua}). The
 * scripts of all leases go out pipelined on Lettuce's asynchronous connection, one round trip for
 * the lot, and each is routed to the node of its destination's slot on a cluster.
 *
 * <p>Thread-safe.
 */
public final class RedisFingerprints implements LeaderSweep.Fingerprints {

    private static final byte[] SCRIPT = LuaScripts.load("scripts/fingerprint.lua", String.class)
            .getScriptAsString().getBytes(StandardCharsets.UTF_8);

    private final StringRedisTemplate redis;
    private final Function<Incarnation, List<String>> watched;
    private final Duration timeout;

    /**
     * @param watched the keys to watch of an incarnation; they must share its hash tag
     * @param timeout how long to wait for all the answers
     */
    public RedisFingerprints(StringRedisTemplate redis, Function<Incarnation, List<String>> watched,
                             Duration timeout) {
        this.redis = redis;
        this.watched = watched;
        this.timeout = timeout;
    }

    @Override
    public Map<String, String> read(List<Lease> leases) throws InterruptedException, ExecutionException {
        Map<String, RedisFuture<byte[]>> answers = redis.execute((RedisCallback<Map<String, RedisFuture<byte[]>>>) c -> {
            @SuppressWarnings("unchecked") // Lettuce's connections, standalone and cluster, are this type
            RedisClusterAsyncCommands<byte[], byte[]> async =
                    (RedisClusterAsyncCommands<byte[], byte[]>) c.getNativeConnection();
            Map<String, RedisFuture<byte[]>> sent = new LinkedHashMap<>();
            for (Lease lease : leases) {
                byte[][] keys = watched.apply(Incarnation.of(lease)).stream()
                        .map(key -> key.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
                sent.put(lease.destination(), async.eval(SCRIPT, ScriptOutputType.VALUE, keys));
            }
            return sent;
        });
        if (answers == null || answers.isEmpty()) {
            return Map.of();
        }
        if (!LettuceFutures.awaitAll(timeout.toMillis(), TimeUnit.MILLISECONDS,
                answers.values().toArray(RedisFuture[]::new))) {
            throw new QueryTimeoutException("Redis did not answer the sweep's " + answers.size() + " fingerprints in "
                    + timeout.toMillis() + " ms");
        }
        Map<String, String> fingerprints = new HashMap<>();
        for (Map.Entry<String, RedisFuture<byte[]>> answer : answers.entrySet()) {
            byte[] value = answer.getValue().get();
            fingerprints.put(answer.getKey(), value == null ? "" : new String(value, StandardCharsets.UTF_8));
        }
        return fingerprints;
    }
}
