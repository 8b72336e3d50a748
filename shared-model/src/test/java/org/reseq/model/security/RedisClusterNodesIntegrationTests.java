package org.reseq.model.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.reseq.infra.PrivateRedisCluster;
import org.reseq.model.guard.StoreEndpoint;
import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

class RedisClusterNodesIntegrationTests {

    @Test
    void everyNodeIsFoundFromOneConfiguredNode() {
        assumeTrue(PrivateRedisCluster.unavailableReason().isEmpty(), () -> "Skipped: a private Redis Cluster cannot"
                + " run here: " + PrivateRedisCluster.unavailableReason().orElseThrow());
        try (PrivateRedisCluster cluster = PrivateRedisCluster.launch(3)) {
            LettuceConnectionFactory connections = new LettuceConnectionFactory(
                    new RedisClusterConfiguration(List.of(cluster.addresses().getFirst())));
            connections.afterPropertiesSet();
            try {
                assertThat(RedisClusterNodes.of(connections)).extracting(StoreEndpoint::port)
                        .containsExactlyInAnyOrderElementsOf(cluster.ports());
            } finally {
                connections.destroy();
            }
        }
    }

    @Test
    void anUnreachableClusterListsNoNodes() {
        LettuceConnectionFactory unreachable = new LettuceConnectionFactory(
                new RedisClusterConfiguration(List.of("127.0.0.1:1")));
        unreachable.afterPropertiesSet();
        try {
            assertThat(RedisClusterNodes.of(unreachable)).isEmpty();
        } finally {
            unreachable.destroy();
        }
    }
}
