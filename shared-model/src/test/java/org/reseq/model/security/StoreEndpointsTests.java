package org.reseq.model.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.reseq.model.guard.StoreEndpoint;
import org.springframework.mock.env.MockEnvironment;

class StoreEndpointsTests {

    @Test
    void aServiceWithoutDataSourceOrRedisSettingsProtectsTheSuitesDefaults() {
        assertThat(StoreEndpoints.of(new MockEnvironment())).containsExactly(
                new StoreEndpoint("PostgreSQL", "127.0.0.1", 5432), new StoreEndpoint("Redis", "localhost", 6379));
    }

    @Test
    void theDataSourceUrlAndTheRedisUrlNameTheStores() {
        MockEnvironment environment = new MockEnvironment()
                .withProperty("spring.datasource.url", "jdbc:postgresql://db.internal:6543/reseq?sslmode=require")
                .withProperty("spring.data.redis.url", "rediss://user:secret@cache.internal:6380/2")
                .withProperty("spring.data.redis.host", "ignored.internal");

        assertThat(StoreEndpoints.of(environment)).containsExactly(
                new StoreEndpoint("PostgreSQL", "db.internal", 6543),
                new StoreEndpoint("Redis", "cache.internal", 6380));
    }

    @Test
    void withoutARedisUrlItsHostAndPortAndAnyNodesNameIt() {
        MockEnvironment environment = new MockEnvironment()
                .withProperty("spring.data.redis.host", "cache.internal")
                .withProperty("spring.data.redis.port", "7000")
                .withProperty("spring.data.redis.sentinel.nodes", "s1.internal:26379, s2.internal")
                .withProperty("spring.data.redis.cluster.nodes[0]", "[fd00::5]:7001");

        assertThat(StoreEndpoints.of(environment)).contains(
                new StoreEndpoint("Redis", "cache.internal", 7000), new StoreEndpoint("Redis", "s1.internal", 26379),
                new StoreEndpoint("Redis", "s2.internal", 6379), new StoreEndpoint("Redis", "[fd00::5]", 7001));
    }

    @Test
    void everyHostOfAPostgresqlUrlIsAStore() {
        assertThat(StoreEndpoints.postgresql("jdbc:postgresql://a.internal,b.internal:5433,[::1]:5434/reseq"))
                .containsExactly(new StoreEndpoint("PostgreSQL", "a.internal", 5432),
                        new StoreEndpoint("PostgreSQL", "b.internal", 5433),
                        new StoreEndpoint("PostgreSQL", "[::1]", 5434));
        assertThat(StoreEndpoints.postgresql("jdbc:postgresql:reseq"))
                .containsExactly(new StoreEndpoint("PostgreSQL", "localhost", 5432));
        assertThat(StoreEndpoints.postgresql("jdbc:postgresql:///reseq"))
                .containsExactly(new StoreEndpoint("PostgreSQL", "localhost", 5432));
        assertThat(StoreEndpoints.postgresql("jdbc:h2:mem:test")).isEmpty();
    }

    @Test
    void aBareIpv6LiteralHasNoPort() {
        assertThat(StoreEndpoints.hostAndPort("Redis", "::1", 6379)).isEqualTo(new StoreEndpoint("Redis", "::1", 6379));
        assertThat(StoreEndpoints.hostAndPort("Redis", "[::1]", 6379))
                .isEqualTo(new StoreEndpoint("Redis", "[::1]", 6379));
    }

    @Test
    void redisIsAClusterWhenClusterNodesAndNoSentinelNodesAreSet() {
        assertThat(StoreEndpoints.redisCluster(new MockEnvironment()
                .withProperty("spring.data.redis.url", "redis://cache.internal:6379"))).isFalse();
        assertThat(StoreEndpoints.redisCluster(new MockEnvironment()
                .withProperty("spring.data.redis.cluster.nodes", "c1.internal:7000,c2.internal:7000"))).isTrue();
        assertThat(StoreEndpoints.redisCluster(new MockEnvironment()
                .withProperty("spring.data.redis.cluster.nodes", "c1.internal:7000")
                .withProperty("spring.data.redis.sentinel.nodes", "s1.internal:26379"))).isFalse();
    }
}
