package org.reseq.resequencer.dispatch;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.reseq.model.redis.Codec;
import org.reseq.model.redis.RedisKeys;
import org.reseq.model.redis.WorkItem;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.stereotype.Component;

/** {@link WorkQueue} on the shared Redis work stream: one pipelined batch of XADDs. */
@Component
class RedisWorkQueue implements WorkQueue {

    private static final byte[] VALUE_FIELD = RedisKeys.VALUE_FIELD.getBytes(StandardCharsets.UTF_8);

    private final RedisTemplate<String, byte[]> redis;
    private final byte[] workKey;

    RedisWorkQueue(RedisTemplate<String, byte[]> redis, RedisKeys keys) {
        this.redis = redis;
        this.workKey = keys.work().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void addAll(List<WorkItem> items) {
        if (items.isEmpty()) {
            return;
        }
        redis.executePipelined((RedisCallback<Object>) connection -> {
            for (WorkItem item : items) {
                connection.streamCommands().xAdd(
                        StreamRecords.rawBytes(Map.of(VALUE_FIELD, Codec.encode(item))).withStreamKey(workKey));
            }
            return null;
        });
    }
}
