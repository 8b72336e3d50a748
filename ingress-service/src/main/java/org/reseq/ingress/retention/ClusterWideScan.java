package org.reseq.ingress.retention;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.springframework.data.redis.connection.ClusterTopology;
import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisClusterNode;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Lists the keys that match a pattern with SCAN, in steps, never blocking Redis. SCAN walks the
 * key space of the one server it is sent to; on a Redis Cluster every master holds a share of the
 * keys, so the scan is sent to each master that is up (replicas hold copies, not more keys).
 * Stateless.
 */
final class ClusterWideScan {

    private ClusterWideScan() {
    }

    /** Every key that matches {@code pattern}, on a standalone server or on every master of a cluster. */
    static List<String> keys(StringRedisTemplate redis, String pattern, int step) {
        ScanOptions options = ScanOptions.scanOptions().match(pattern).count(step).build();
        List<String> found = redis.execute((RedisCallback<List<String>>) connection ->
                connection instanceof RedisClusterConnection cluster ? everyMaster(cluster, options)
                        : oneServer(connection, options));
        return found == null ? List.of() : found;
    }

    private static List<String> everyMaster(RedisClusterConnection cluster, ScanOptions options) {
        Set<RedisClusterNode> nodes = new HashSet<>();
        cluster.clusterGetNodes().forEach(nodes::add);
        List<String> found = new ArrayList<>();
        for (RedisClusterNode master : new ClusterTopology(nodes).getActiveMasterNodes()) {
            try (Cursor<byte[]> scan = cluster.scan(master, options)) {
                scan.forEachRemaining(key -> found.add(new String(key, StandardCharsets.UTF_8)));
            }
        }
        return found;
    }

    private static List<String> oneServer(RedisConnection connection, ScanOptions options) {
        List<String> found = new ArrayList<>();
        try (Cursor<byte[]> scan = connection.keyCommands().scan(options)) {
            scan.forEachRemaining(key -> found.add(new String(key, StandardCharsets.UTF_8)));
        }
        return found;
    }
}
