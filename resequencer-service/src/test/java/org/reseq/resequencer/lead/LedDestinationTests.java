package org.reseq.resequencer.lead;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LedDestinationTests {

    private final LeaderFixture fixture = new LeaderFixture().begin(1, 4);
    private final LedDestination led = fixture.led;

    @Test
    void theLineStartsAfterTheCursorTheLeaseWasTakenAt() {
        assertThat(led.lease().epoch()).isEqualTo(1);
        assertThat(led.line().released()).isEqualTo(4);
        assertThat(led.line().dispatched()).isEqualTo(4);
    }

    @Test
    void theLastSequenceOnlyEverRisesAndSaysWhenItDid() {
        assertThat(led.ingestedUpTo(9)).isTrue();
        assertThat(led.ingestedUpTo(9)).isFalse();
        assertThat(led.ingestedUpTo(3)).as("a late, older signal").isFalse();

        assertThat(led.lastSequence()).isEqualTo(9);
    }

    @Test
    void theDeliveredCursorOnlyEverRisesAndSaysWhenItDid() {
        assertThat(led.deliveredUpTo(5)).isTrue();
        assertThat(led.deliveredUpTo(2)).as("a late, older signal").isFalse();

        assertThat(led.delivered()).isEqualTo(5);
    }
}
