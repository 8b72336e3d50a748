package org.reseq.model.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.cluster.SlotHash;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RedisKeysTests {

    private final RedisKeys keys = new RedisKeys("reseq:");

    @Test
    void everyKeyOfAnIncarnationNamesItsId() {
        Incarnation orders = new Incarnation("orders#eu", 17);

        assertThat(keys.all(orders)).hasSize(8).allSatisfy(key -> assertThat(keys.incarnationId(key)).isEqualTo(17));
    }

    @Test
    void keysOfNoIncarnationOrOfAnotherPrefixHaveNone() {
        assertThat(keys.incarnationId(keys.work())).isEqualTo(-1);
        assertThat(keys.incarnationId("other:done:{orders#17}")).isEqualTo(-1);
        assertThat(keys.incarnationId("reseq:done:{orders#x}")).isEqualTo(-1);
        assertThat(keys.incarnationId("reseq:done:{orders}")).isEqualTo(-1);
        assertThat(keys.incarnationId("reseq:done:{orders#99999999999}")).isEqualTo(-1);
    }

    /**
     * Every script that takes several keys takes them from one incarnation's keys (see the scripts
     * under {@code scripts/}), so they must share a Redis Cluster slot, whatever the prefix.
     */
    @Test
    void everyKeyOfAnIncarnationLiesInOneClusterSlot() {
        for (String prefix : List.of("", "reseq:", "team-a:reseq:")) {
            RedisKeys prefixed = new RedisKeys(prefix);
            for (Incarnation incarnation : List.of(new Incarnation("orders", 1), new Incarnation("orders", 2),
                    new Incarnation("a", 2_000_000_000), new Incarnation("orders#eu", 17))) {
                assertThat(prefixed.all(incarnation)).as("%s keys of %s", prefix, incarnation)
                        .extracting(SlotHash::getSlot).containsOnly(SlotHash.getSlot(incarnation.tag()));
            }
        }
    }

    @Test
    void incarnationsSpreadOverTheClusterSlots() {
        long slots = IntStream.rangeClosed(1, 1_000).map(id -> SlotHash.getSlot(keys.fence(new Incarnation("d", id))))
                .distinct().count();

        assertThat(slots).isGreaterThan(900);
    }

    @Test
    void aPrefixWithABraceIsRefused() {
        assertThatThrownBy(() -> new RedisKeys("reseq:{team-a}:")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hash slot");
        assertThatThrownBy(() -> new RedisKeys("reseq{")).isInstanceOf(IllegalArgumentException.class);
    }
}
