package org.reseq.resequencer.dispatch;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.reseq.model.redis.Codec;
import org.reseq.model.redis.LuaScripts;
import org.reseq.model.redis.RedisKeys;
import org.reseq.model.redis.WorkItem;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

/**
 * {@link WorkQueue} on the shared Redis work stream: one script call appends a whole batch,
 * one round trip and one command for the client to encode, however many items.
 */
@Component
class RedisWorkQueue implements WorkQueue {

    private static final byte[] VALUE_FIELD = RedisKeys.VALUE_FIELD.getBytes(StandardCharsets.UTF_8);

    private final RedisTemplate<String, byte[]> redis;
    private final List<String> workKey;
    private final RedisScript<Long> script;

    RedisWorkQueue(RedisTemplate<String, byte[]> redis, RedisKeys keys) {
        this.redis = redis;
        this.workKey = List.of(keys.work());
        this.script = LuaScripts.load("scripts/dispatch.lua", Long.class);
    }

    @Override
    public void addAll(List<WorkItem> items) {
        if (items.isEmpty()) {
            return;
        }
        Object[] args = new Object[items.size() + 1];
        args[0] = VALUE_FIELD;
        for (int i = 0; i < items.size(); i++) {
            args[i + 1] = Codec.encode(items.get(i));
        }
        // Arguments go out through the template's value serializer, which passes bytes unchanged.
        redis.execute(script, workKey, args);
    }
}
