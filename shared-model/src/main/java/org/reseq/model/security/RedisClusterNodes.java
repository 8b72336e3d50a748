package org.reseq.model.security;

import java.util.ArrayList;
import java.util.List;
import org.reseq.model.guard.StoreEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisClusterNode;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Every node of the Redis Cluster a service uses, as the cluster lists them itself
 * ({@code CLUSTER NODES}): masters and replicas, also those that
 * {@code spring.data.redis.cluster.nodes} does not name (it needs only a few to start from).
 * Read once, when the destination guard is built; a node that joins later is guarded once the
 * service restarts, or at once when the setting names it. Stateless.
 */
final class RedisClusterNodes {

    private static final Logger log = LoggerFactory.getLogger(RedisClusterNodes.class);

    private RedisClusterNodes() {
    }

    /** The nodes, or none when the cluster cannot be asked (say, it is down): the configured ones stay guarded. */
    static List<StoreEndpoint> of(RedisConnectionFactory connectionFactory) {
        List<StoreEndpoint> nodes = new ArrayList<>();
        try (RedisConnection connection = connectionFactory.getConnection()) {
            if (connection instanceof RedisClusterConnection cluster) {
                for (RedisClusterNode node : cluster.clusterGetNodes()) {
                    if (node.getHost() != null && node.getPort() != null) {
                        nodes.add(new StoreEndpoint(StoreEndpoints.REDIS, node.getHost(), node.getPort()));
                    }
                }
            }
        } catch (RuntimeException e) {
            log.warn("Cannot list the Redis Cluster's nodes ({}): the destination guard keeps destinations from the"
                    + " nodes spring.data.redis.cluster.nodes names only", e.toString());
        }
        return nodes;
    }
}
