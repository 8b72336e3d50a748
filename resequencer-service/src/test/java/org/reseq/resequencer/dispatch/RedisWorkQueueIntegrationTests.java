package org.reseq.resequencer.dispatch;

import java.util.List;
import org.reseq.model.redis.Codec;
import org.reseq.model.redis.RedisKeys;
import org.reseq.model.redis.WorkItem;
import org.reseq.resequencer.fake.SharedRedis;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.core.RedisTemplate;

/** The contract against the Redis work stream and the dispatch script. */
class RedisWorkQueueIntegrationTests extends WorkQueueContract {

    private final RedisKeys keys = SharedRedis.freshKeys();
    private final RedisTemplate<String, byte[]> redis = SharedRedis.binary();
    private final RedisWorkQueue queue = new RedisWorkQueue(redis, keys);

    @Override
    WorkQueue queue() {
        return queue;
    }

    @Override
    List<WorkItem> added() {
        return redis.opsForStream().range(keys.work(), Range.unbounded()).stream()
                .map(entry -> Codec.decodeWorkItem((byte[]) entry.getValue().get(RedisKeys.VALUE_FIELD)))
                .toList();
    }
}
