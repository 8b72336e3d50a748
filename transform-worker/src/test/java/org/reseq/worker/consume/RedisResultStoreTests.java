package org.reseq.worker.consume;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.cluster.SlotHash;
import org.junit.jupiter.api.Test;
import org.reseq.model.redis.Incarnation;
import org.reseq.model.redis.RedisKeys;

class RedisResultStoreTests {

    @Test
    void theStoreScriptTouchesOneHashSlotAndNotTheWorkStream() {
        RedisKeys keys = new RedisKeys("reseq:");
        Incarnation orders = new Incarnation("orders", 17);

        assertThat(RedisResultStore.scriptKeys(keys, orders)).doesNotContain(keys.work())
                .extracting(SlotHash::getSlot).containsOnly(SlotHash.getSlot(keys.done(orders)));
    }
}
