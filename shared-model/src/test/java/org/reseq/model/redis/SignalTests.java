package org.reseq.model.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SignalTests {

    @Test
    void doneSignalsCarryTheirOutcome() {
        assertThat(Signal.decode(Signal.done("orders", 41, false).encode()))
                .isEqualTo(new Signal("orders", 41, false));
        assertThat(Signal.decode(Signal.done("orders", 42, true).encode()))
                .isEqualTo(new Signal("orders", 42, true));
    }

    @Test
    void garbageIsRejected() {
        assertThatThrownBy(() -> Signal.decode("orders")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Signal.decode("orders:x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void perDestinationKeysShareAHashTagNamingTheIncarnation() {
        RedisKeys keys = new RedisKeys("reseq:");
        Incarnation orders = new Incarnation("orders", 17);

        assertThat(keys.done(orders)).isEqualTo("reseq:done:{orders#17}");
        assertThat(keys.out(orders)).isEqualTo("reseq:out:{orders#17}");
        assertThat(keys.fence(orders)).isEqualTo("reseq:fence:{orders#17}");
        assertThat(keys.done(new Incarnation("orders", 18))).as("a re-created name").isNotEqualTo(keys.done(orders));
    }
}
