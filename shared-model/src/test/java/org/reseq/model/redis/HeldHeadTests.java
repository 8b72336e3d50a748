package org.reseq.model.redis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HeldHeadTests {

    @Test
    void aHeldHeadSurvivesARoundTrip() {
        HeldHead held = new HeldHead(12, "answered HTTP 422: no such customer");

        assertThat(HeldHead.decode(held.encode())).contains(held);
    }

    @Test
    void aValueThatIsNoHeldHeadReadsAsNone() {
        assertThat(HeldHead.decode("garbage")).isEmpty();
        assertThat(HeldHead.decode(null)).isEmpty();
        assertThat(HeldHead.decode("12")).contains(new HeldHead(12, ""));
    }
}
