package org.reseq.bench.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class TransformPayloadTests {

    @Test
    void readsBackTheTransformTimeItWrote() {
        assertThat(TransformPayload.of(41, 750)).isEqualTo("i=41 t=750");
        assertThat(TransformPayload.millis(TransformPayload.of(41, 750))).isEqualTo(750);
        assertThat(TransformPayload.millis(TransformPayload.of(0, 0))).isZero();
    }

    @Test
    void rejectsAPayloadWithoutATime() {
        assertThatIllegalArgumentException().isThrownBy(() -> TransformPayload.millis("hello"));
        assertThatIllegalArgumentException().isThrownBy(() -> TransformPayload.millis("i=1 t=x"));
    }
}
