package org.reseq.resequencer.lead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.reseq.resequencer.lead.LeaderFixture.DESTINATION;

import org.junit.jupiter.api.Test;
import org.reseq.model.redis.Signal;

class WakeupsTests {

    private final LeaderFixture fixture = new LeaderFixture().begin(1, 5);
    private final Wakeups wakeups = new Wakeups(fixture.led, fixture.pipeline.results);

    @Test
    void ingestedAndDeliveredSignalsRaiseWhatTheLeaderKnowsAndAskForNoPoll() {
        assertThat(wakeups.apply(new Wakeup(Wakeup.Kind.INGESTED, Signal.ingested(DESTINATION, 12)))).isFalse();
        assertThat(wakeups.apply(new Wakeup(Wakeup.Kind.DELIVERED, Signal.delivered(DESTINATION, 7)))).isFalse();
        wakeups.apply(new Wakeup(Wakeup.Kind.DELIVERED, Signal.delivered(DESTINATION, 6)));

        assertThat(fixture.led.lastSequence()).isEqualTo(12);
        assertThat(fixture.led.delivered()).isEqualTo(7);
    }

    @Test
    void aChangeThroughTheAdminApiAsksForAPollAtOnce() {
        assertThat(wakeups.apply(Wakeup.changed(DESTINATION))).isTrue();
    }

    @Test
    void aDoneSignalAfterTheReleasedCursorTellsTheLineItsResult() {
        wakeups.apply(new Wakeup(Wakeup.Kind.DONE, Signal.done(DESTINATION, 6, false)));

        assertThat(fixture.led.line().headBlocked()).isTrue();
    }

    @Test
    void aLateRepeatOfAReleasedResultIsDiscardedFromTheBufferAtTheNextStep() {
        fixture.pipeline.results.finished(DESTINATION, LeaderFixture.result(4, true));

        wakeups.apply(new Wakeup(Wakeup.Kind.DONE, Signal.done(DESTINATION, 4, true)));
        assertThat(fixture.pipeline.results.result(LeaderFixture.INCARNATION, 4)).as("not before the step").isPresent();
        wakeups.discardStale();

        assertThat(fixture.pipeline.results.result(LeaderFixture.INCARNATION, 4)).isEmpty();
        assertThat(fixture.led.line().known()).isEmpty();
    }

    @Test
    void staleResultsForgottenByARewindStayInTheBuffer() {
        fixture.pipeline.results.finished(DESTINATION, LeaderFixture.result(4, true));
        wakeups.apply(new Wakeup(Wakeup.Kind.DONE, Signal.done(DESTINATION, 4, true)));

        wakeups.forgetStale();
        wakeups.discardStale();

        assertThat(fixture.pipeline.results.result(LeaderFixture.INCARNATION, 4)).isPresent();
    }
}
