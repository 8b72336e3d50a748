package org.reseq.model.redis;

import static org.assertj.core.api.Assertions.assertThat;

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
}
