package org.reseq.resequencer.lead;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DispatchedBytesTests {

    private final DispatchedBytes dispatched = new DispatchedBytes();

    @Test
    void aDeliveryCountsUntilItIsDelivered() {
        dispatched.dispatched(3, 300);
        dispatched.dispatched(4, 100);
        dispatched.dispatched(5, 200);

        dispatched.deliveredUpTo(2);
        assertThat(dispatched.bytes()).isEqualTo(600);

        dispatched.deliveredUpTo(4);
        assertThat(dispatched.bytes()).isEqualTo(200);

        dispatched.deliveredUpTo(9);
        assertThat(dispatched.bytes()).isZero();
    }

    @Test
    void aRewindForgetsEverything() {
        dispatched.dispatched(3, 300);

        dispatched.clear();

        assertThat(dispatched.bytes()).isZero();
    }
}
