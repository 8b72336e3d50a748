package org.reseq.model.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.reseq.infra.Infrastructure;
import org.reseq.infra.PrivateRedisCluster;
import org.reseq.infra.RedisServerAddress;
import org.reseq.model.lease.Lease;
import org.reseq.model.lease.LeaseRole;
import org.reseq.model.lease.LeaseTerm;
import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/** The sweep's Redis fingerprints against a real Redis, standalone and as a cluster. */
class RedisFingerprintsIntegrationTests {

    private final RedisKeys keys = new RedisKeys("fingerprint-" + UUID.randomUUID() + ":");
    private final Function<Incarnation, List<String>> watched =
            incarnation -> List.of(keys.fence(incarnation), keys.commands(incarnation), keys.out(incarnation));

    private static Lease lease(String destination) {
        return new Lease(destination, 3, LeaseRole.RESEQUENCER, 1, 0, new LeaseTerm(Duration.ofSeconds(10)));
    }

    @Test
    void everyWatchedKindOfKeyChangesTheFingerprintAndNothingElseDoes() throws Exception {
        RedisServerAddress address = Infrastructure.redis();
        checkFingerprints(new LettuceConnectionFactory(new RedisStandaloneConfiguration(address.host(), address.port())));
    }

    @Test
    void destinationsOnDifferentClusterNodesAreReadInOneBatch() throws Exception {
        assumeTrue(PrivateRedisCluster.unavailableReason().isEmpty(), () -> "Skipped: a private Redis Cluster cannot"
                + " run here: " + PrivateRedisCluster.unavailableReason().orElseThrow());
        try (PrivateRedisCluster cluster = PrivateRedisCluster.launch(3)) {
            checkFingerprints(new LettuceConnectionFactory(new RedisClusterConfiguration(cluster.addresses())));
        }
    }

    private void checkFingerprints(LettuceConnectionFactory connections) throws Exception {
        connections.afterPropertiesSet();
        connections.start();
        try {
            checkFingerprints(new StringRedisTemplate(connections));
        } finally {
            connections.destroy();
        }
    }

    private void checkFingerprints(StringRedisTemplate redis) throws Exception {
        RedisFingerprints fingerprints = new RedisFingerprints(redis, watched, Duration.ofSeconds(5));
        // enough destinations that their slots fall on every node of a cluster
        List<Lease> leases = java.util.stream.IntStream.range(0, 30).mapToObj(i -> lease("d" + i)).toList();
        Incarnation first = Incarnation.of(leases.getFirst());

        Map<String, String> empty = fingerprints.read(leases);
        assertThat(empty).hasSize(30).containsEntry("d0", "-,-,-").containsEntry("d29", "-,-,-");

        redis.opsForValue().set(keys.fence(first), "4");
        Map<String, String> fenced = fingerprints.read(leases);
        redis.opsForList().leftPush(keys.commands(first), "RETRY");
        Map<String, String> commanded = fingerprints.read(leases);
        redis.opsForStream().add(keys.out(first), Map.of("s", "1"));
        Map<String, String> released = fingerprints.read(leases);
        redis.opsForValue().set(keys.rewind(first), "0"); // not watched here
        Map<String, String> unwatched = fingerprints.read(leases);

        assertThat(List.of(empty.get("d0"), fenced.get("d0"), commanded.get("d0"), released.get("d0")))
                .doesNotHaveDuplicates();
        assertThat(fenced.get("d0")).isEqualTo("v4,-,-");
        assertThat(commanded.get("d0")).isEqualTo("v4,l1,-");
        assertThat(released.get("d0")).startsWith("v4,l1,s").endsWith(":1");
        assertThat(unwatched).isEqualTo(released);
        assertThat(released.get("d1")).isEqualTo("-,-,-");
        redis.delete(List.of(keys.fence(first), keys.commands(first), keys.out(first), keys.rewind(first)));
    }
}
