package org.reseq.model.transform;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.reseq.infra.Infrastructure;
import org.reseq.infra.MutableClock;
import org.reseq.infra.RedisServerAddress;
import org.reseq.model.redis.RedisKeys;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/** The catalog against a real Redis: what workers publish, what ingress reads, what is forgotten. */
class TransformCatalogIntegrationTests {

    private static final String REDACT_SCHEMA = "{\"type\":\"object\"}";

    private static LettuceConnectionFactory connections;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-06T10:00:00Z"));
    private final RedisKeys keys = new RedisKeys("catalog-" + UUID.randomUUID() + ":");
    private StringRedisTemplate redis;
    private TransformCatalog catalog;

    @BeforeAll
    static void connect() {
        RedisServerAddress address = Infrastructure.redis();
        connections = new LettuceConnectionFactory(new RedisStandaloneConfiguration(address.host(), address.port()));
        connections.afterPropertiesSet();
        connections.start();
    }

    @AfterAll
    static void disconnect() {
        connections.destroy();
    }

    private TransformCatalog catalog() {
        if (catalog == null) {
            redis = new StringRedisTemplate(connections);
            catalog = new TransformCatalog(redis, keys, clock);
        }
        return catalog;
    }

    @Test
    void typesOfEveryWorkerAreReadWithHowManyLiveWorkersRunThem() {
        catalog().publish("worker-a", List.of(TransformType.builtIn("http"),
                new TransformType("redact", REDACT_SCHEMA)));
        catalog().publish("worker-b", List.of(TransformType.builtIn("http")));

        PublishedTypes types = catalog().read();

        assertThat(types.find("http")).get().extracting(PublishedTypes.Published::liveWorkers).isEqualTo(2);
        assertThat(types.find("redact")).get().satisfies(redact -> {
            assertThat(redact.liveWorkers()).isEqualTo(1);
            assertThat(redact.type().configSchema()).isEqualTo(REDACT_SCHEMA);
        });
        assertThat(types.runnable("redact")).isTrue();
        assertThat(types.find("xslt")).isEmpty();
    }

    @Test
    void aSilentWorkersTypesStayKnownButNotRunnable() {
        catalog().publish("worker-a", List.of(new TransformType("redact", REDACT_SCHEMA)));

        clock.advance(TransformCatalog.LIVE_FOR.plusSeconds(1));

        assertThat(catalog().read().find("redact")).get()
                .extracting(PublishedTypes.Published::liveWorkers).isEqualTo(0);
        assertThat(catalog().read().runnable("redact")).isFalse();
    }

    @Test
    void entriesPastTheirTimeAreForgottenAndRemovedByTheNextPublisher() {
        catalog().publish("worker-old", List.of(new TransformType("redact", REDACT_SCHEMA)));
        clock.advance(TransformCatalog.FORGET_AFTER.plus(Duration.ofMinutes(1)));

        assertThat(catalog().read().find("redact")).isEmpty();

        catalog().publish("worker-new", List.of(TransformType.builtIn("http")));
        assertThat(redis.opsForHash().keys(keys.transformCatalog())).containsExactly("worker-new");
    }

    @Test
    void aWithdrawnOrUnreadableEntryCountsForNothing() {
        catalog().publish("worker-a", List.of(new TransformType("redact", REDACT_SCHEMA)));
        redis.opsForHash().put(keys.transformCatalog(), "worker-garbled", "{not json");

        catalog().withdraw("worker-a");

        assertThat(catalog().read().types()).isEmpty();
    }
}
