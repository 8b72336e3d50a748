package org.reseq.resequencer.lead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.reseq.resequencer.lead.LeaderFixture.DESTINATION;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.reseq.model.lease.LeaseLostException;
import org.reseq.model.lease.LeaseRole;
import org.reseq.model.redis.Signal;
import org.reseq.resequencer.lead.Rewinder.Rewind;

class RewinderTests {

    private static final String REWINDS = "reseq.resequencer.rewinds";

    private final LeaderFixture fixture = new LeaderFixture();
    private Wakeups wakeups;
    private Rewinder rewinder;

    @Test
    void aRewindStartsTheLineAgainFromTheDeliveredCursor() throws Exception {
        releasedFiveOfSix();

        rewinder.rewindNow(Rewind.requestedByEgress());

        Line line = fixture.led.line();
        assertThat(fixture.cursor(LeaseRole.RESEQUENCER)).isEqualTo(2);
        assertThat(line.released()).isEqualTo(2);
        assertThat(line.dispatched()).as("everything after delivered is dispatched again").isEqualTo(2);
        assertThat(line.known()).as("Redis may no longer hold them").isEmpty();
        assertThat(line.unpersisted()).isFalse();
        assertThat(fixture.led.delivered()).isEqualTo(2);
        assertThat(rewinder.pending()).isFalse();
        assertThat(fixture.count(REWINDS, "reason", "requested")).isEqualTo(1);
        assertThat(fixture.gauge("reseq.resequencer.released.cursor")).isEqualTo(2);
    }

    @Test
    void aRewindAfterRedisLostItsDataClaimsTheFenceAgain() throws Exception {
        releasedFiveOfSix();
        fixture.pipeline.results.lose(DESTINATION);

        rewinder.rewindNow(Rewind.redisLost("its fence key is missing"));

        assertThat(fixture.pipeline.results.fence(DESTINATION)).contains(1L);
        assertThat(fixture.count(REWINDS, "reason", "redis-lost")).isEqualTo(1);
    }

    @Test
    void aRewindThatFailsHalfwayStaysDueAndIsCarriedOutFromTheStartLater() throws Exception {
        releasedFiveOfSix();
        fixture.cursors.down(true);

        assertThatThrownBy(() -> rewinder.rewindNow(Rewind.redisLost("lost"))).isInstanceOf(SQLException.class);
        assertThat(rewinder.pending()).isTrue();
        assertThat(fixture.led.line().released()).isEqualTo(5);

        fixture.cursors.down(false);
        rewinder.carryOutPending();

        assertThat(rewinder.pending()).isFalse();
        assertThat(fixture.led.line().released()).isEqualTo(2);
        assertThat(fixture.count(REWINDS, "reason", "redis-lost")).isEqualTo(1);
    }

    @Test
    void aMissingFenceAtStartIsNoNewsWhenTheCursorStaysWhereItIs() throws Exception {
        start(0);

        rewinder.schedule(Rewind.fenceMissingAtStart());
        rewinder.carryOutPending();

        assertThat(rewinder.pending()).isFalse();
        assertThat(fixture.pipeline.results.fence(DESTINATION)).contains(1L);
        assertThat(fixture.count(REWINDS, "reason", "redis-lost")).isZero();
    }

    @Test
    void aMissingFenceAtStartThatMovesTheCursorBackIsCounted() throws Exception {
        start(5);
        fixture.pipeline.cursors.set(DESTINATION, LeaseRole.EGRESS, 3);

        rewinder.schedule(Rewind.fenceMissingAtStart());
        rewinder.carryOutPending();

        assertThat(fixture.led.line().released()).isEqualTo(3);
        assertThat(fixture.count(REWINDS, "reason", "redis-lost")).isEqualTo(1);
    }

    @Test
    void aResultNotedStaleBeforeTheRewindIsKeptForTheLineThatNeedsItAgain() throws Exception {
        releasedFiveOfSix();
        fixture.pipeline.results.finished(DESTINATION, LeaderFixture.result(4, true));
        wakeups.apply(new Wakeup(Wakeup.Kind.DONE, Signal.done(DESTINATION, 4, true)));

        rewinder.rewindNow(Rewind.requestedByEgress());
        wakeups.discardStale();

        assertThat(fixture.pipeline.results.result(LeaderFixture.INCARNATION, 4)).isPresent();
    }

    @Test
    void aLeaderFencedOffCannotRewind() {
        releasedFiveOfSix();
        fixture.pipeline.cursors.taken(DESTINATION, LeaseRole.RESEQUENCER, 2);

        assertThatThrownBy(() -> rewinder.rewindNow(Rewind.requestedByEgress()))
                .isInstanceOf(LeaseLostException.class);

        assertThat(fixture.led.line().released()).isEqualTo(5);
    }

    /** A leader that released 1..5 of 6 while egress delivered 1 and 2. */
    private void releasedFiveOfSix() {
        start(0);
        fixture.pipeline.ingest(DESTINATION, 6);
        fixture.pipeline.results.claim(fixture.led.lease());
        Line line = fixture.led.line();
        line.dispatchedUpTo(6);
        fixture.finished(true, 1, 2, 3, 4, 5, 6);
        line.released(line.plan(5), 5);
        fixture.pipeline.cursors.set(DESTINATION, LeaseRole.EGRESS, 2);
    }

    private void start(long position) {
        fixture.begin(1, position);
        wakeups = new Wakeups(fixture.led, fixture.pipeline.results);
        rewinder = new Rewinder(fixture.led, fixture.context, wakeups,
                new DispatchWindow(fixture.led, fixture.context), new FailedHeads(fixture.led, fixture.context));
    }
}
