package org.reseq.model.transform;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.reseq.model.redis.RedisKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Where workers say which transform types they run and ingress reads it: one Redis hash, a field
 * per worker instance holding its types and when it last published them. A worker publishes
 * every {@link #PUBLISH_EVERY}; one that has not for {@link #LIVE_FOR} no longer counts as live,
 * and after {@link #FORGET_AFTER} its entry is removed by the next worker that publishes.
 *
 * <p>A type stays known (its schema checks new configurations) as long as some entry names it,
 * live or not, so a destination can be saved while its workers restart. Nothing here is the
 * system of record: lost with Redis, it is whole again after one publishing round.
 *
 * <p>Thread-safe.
 */
public final class TransformCatalog {

    public static final Duration PUBLISH_EVERY = Duration.ofSeconds(10);
    public static final Duration LIVE_FOR = PUBLISH_EVERY.multipliedBy(3);
    public static final Duration FORGET_AFTER = Duration.ofDays(7);

    private static final Logger log = LoggerFactory.getLogger(TransformCatalog.class);
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private final StringRedisTemplate redis;
    private final String key;
    private final Clock clock;

    public TransformCatalog(StringRedisTemplate redis, RedisKeys keys, Clock clock) {
        this.redis = redis;
        this.key = keys.transformCatalog();
        this.clock = clock;
    }

    /** One worker's entry: its types and when it published them (epoch milliseconds). */
    record Entry(long publishedAt, List<TransformType> types) {
    }

    /** Says that {@code worker} runs {@code types} now, and removes entries past {@link #FORGET_AFTER}. */
    public void publish(String worker, List<TransformType> types) {
        long now = clock.millis();
        redis.opsForHash().put(key, worker, MAPPER.writeValueAsString(new Entry(now, List.copyOf(types))));
        List<Object> forgotten = new ArrayList<>();
        entries().forEach((id, entry) -> {
            if (entry == null || now - entry.publishedAt() > FORGET_AFTER.toMillis()) {
                forgotten.add(id);
            }
        });
        if (!forgotten.isEmpty()) {
            redis.opsForHash().delete(key, forgotten.toArray());
        }
    }

    /** Removes {@code worker}'s entry: it is stopping. */
    public void withdraw(String worker) {
        redis.opsForHash().delete(key, worker);
    }

    /** What the workers published, as of now. */
    public PublishedTypes read() {
        long now = clock.millis();
        Map<String, PublishedTypes.Published> types = new HashMap<>();
        entries().values().stream()
                .filter(entry -> entry != null && now - entry.publishedAt() <= FORGET_AFTER.toMillis())
                .sorted((a, b) -> Long.compare(a.publishedAt(), b.publishedAt()))
                .forEach(entry -> {
                    boolean live = now - entry.publishedAt() <= LIVE_FOR.toMillis();
                    for (TransformType type : entry.types()) {
                        PublishedTypes.Published before = types.get(type.name());
                        int liveWorkers = (before == null ? 0 : before.liveWorkers()) + (live ? 1 : 0);
                        // Entries come oldest first: the last one's schema is the newest.
                        types.put(type.name(), new PublishedTypes.Published(type, liveWorkers,
                                Instant.ofEpochMilli(entry.publishedAt())));
                    }
                });
        return new PublishedTypes(types);
    }

    /** Every entry by worker; one that cannot be read maps to null (and is logged). */
    private Map<Object, Entry> entries() {
        Map<Object, Entry> entries = new HashMap<>();
        redis.opsForHash().entries(key).forEach((worker, value) -> {
            try {
                entries.put(worker, MAPPER.readValue(String.valueOf(value), Entry.class));
            } catch (JacksonException e) {
                log.warn("Ignoring the unreadable transform catalog entry of worker {}: {}", worker, e.getMessage());
                entries.put(worker, null);
            }
        });
        return entries;
    }
}
