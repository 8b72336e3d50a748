package org.reseq.model.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PollPaceTests {

    private static final Duration BUSY = Duration.ofMillis(250);
    private static final Duration IDLE = Duration.ofSeconds(2);

    @Test
    void startsAtThePollInterval() {
        assertThat(new PollPace(BUSY, IDLE, IDLE).interval()).isEqualTo(BUSY);
    }

    @Test
    void idlePollsDoubleTheIntervalUpToTheIdleInterval() {
        PollPace pace = new PollPace(BUSY, IDLE, IDLE);

        pace.idle();
        assertThat(pace.interval()).isEqualTo(Duration.ofMillis(500));
        pace.idle();
        pace.idle();
        assertThat(pace.interval()).isEqualTo(IDLE);
        pace.idle();
        assertThat(pace.interval()).isEqualTo(IDLE);
    }

    @Test
    void workBringsThePollIntervalBackAtOnce() {
        PollPace pace = new PollPace(BUSY, IDLE, IDLE);
        pace.idle();
        pace.idle();

        pace.busy();

        assertThat(pace.interval()).isEqualTo(BUSY);
    }

    @Test
    void aPollWithNewsRestoresThePollIntervalAndOneWithoutBacksOff() {
        PollPace pace = new PollPace(BUSY, IDLE, IDLE);

        pace.polled(false);
        assertThat(pace.interval()).isEqualTo(Duration.ofMillis(500));
        pace.polled(true);
        assertThat(pace.interval()).isEqualTo(BUSY);
    }

    @Test
    void anIdleIntervalEqualToThePollIntervalNeverBacksOff() {
        PollPace pace = new PollPace(BUSY, BUSY, BUSY);

        pace.idle();

        assertThat(pace.interval()).isEqualTo(BUSY);
    }

    @Test
    void refusesAnIdleIntervalBelowThePollInterval() {
        assertThatThrownBy(() -> new PollPace(IDLE, BUSY, BUSY)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("idle poll interval");
    }
    @Test
    void aQuietLeaderGoesFromTheIdleIntervalStraightToTheQuietOne() {
        PollPace pace = new PollPace(BUSY, IDLE, Duration.ofSeconds(10));
        pace.quiet(true);

        pace.idle();
        assertThat(pace.interval()).isEqualTo(Duration.ofMillis(500));
        pace.idle();
        pace.idle();
        assertThat(pace.interval()).isEqualTo(IDLE);
        pace.idle();
        assertThat(pace.interval()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void aLeaderThatStopsBeingQuietPollsAtTheIdleIntervalAgainAtOnce() {
        PollPace pace = new PollPace(BUSY, IDLE, Duration.ofSeconds(10));
        pace.quiet(true);
        for (int i = 0; i < 10; i++) {
            pace.idle();
        }

        pace.quiet(false);
        assertThat(pace.interval()).isEqualTo(IDLE);
        pace.idle();
        assertThat(pace.interval()).isEqualTo(IDLE);
    }

    @Test
    void aQuietIntervalBelowTheIdleOneIsRefused() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new PollPace(BUSY, IDLE, Duration.ofSeconds(1)))
                .withMessageContaining("quiet poll interval");
    }
}
