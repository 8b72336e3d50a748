package org.reseq.ingress.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.reseq.infra.PrivateRedisCluster;
import org.reseq.model.redis.Incarnation;
import org.reseq.model.redis.RedisKeys;
import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * On a Redis Cluster the incarnation keys of different destinations lie on different masters:
 * the retention sweep's scan must visit each one, and its one DEL must reach each one.
 */
class ClusterWideScanIntegrationTests {

    private static final RedisKeys KEYS = new RedisKeys("sweep:");

    private static PrivateRedisCluster cluster;
    private static LettuceConnectionFactory connections;
    private static StringRedisTemplate redis;

    @BeforeAll
    static void startACluster() {
        assumeTrue(PrivateRedisCluster.unavailableReason().isEmpty(),
                () -> "Skipped: a private Redis Cluster cannot run here: "
                        + PrivateRedisCluster.unavailableReason().orElseThrow());
        cluster = PrivateRedisCluster.launch(3);
        connections = new LettuceConnectionFactory(new RedisClusterConfiguration(cluster.addresses()));
        connections.afterPropertiesSet();
        connections.start();
        redis = new StringRedisTemplate(connections);
    }

    @AfterAll
    static void stopTheCluster() {
        if (connections != null) {
            connections.destroy();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void findsTheKeysOfEveryMasterAndOneDeleteRemovesThemAll() {
        Map<Integer, String> keyByMaster = new HashMap<>();
        for (int id = 1; keyByMaster.size() < cluster.ports().size(); id++) {
            String key = KEYS.fence(new Incarnation("swept", id));
            keyByMaster.putIfAbsent(cluster.masterPortOf(cluster.slot(key)), key);
        }
        keyByMaster.values().forEach(key -> redis.opsForValue().set(key, "1"));
        redis.opsForValue().set("sweep:unrelated", "not an incarnation's key");

        List<String> found = ClusterWideScan.keys(redis, KEYS.incarnationKeyPattern(), 10);

        assertThat(found).containsExactlyInAnyOrderElementsOf(keyByMaster.values());
        assertThat(redis.delete(found)).isEqualTo(keyByMaster.size());
        keyByMaster.forEach((port, key) -> assertThat(cluster.keysOn(port, "sweep:*{*")).isEmpty());
    }
}
