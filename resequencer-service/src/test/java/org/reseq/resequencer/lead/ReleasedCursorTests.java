package org.reseq.resequencer.lead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.reseq.model.lease.LeaseLostException;
import org.reseq.model.lease.LeaseRole;
import org.reseq.resequencer.release.ReleasePlan;

class ReleasedCursorTests {

    private static final Duration LONG_INTERVAL = Duration.ofHours(1);

    private final LeaderFixture fixture = new LeaderFixture().begin(1, 0);
    private final Line line = fixture.led.line();

    @Test
    void theFirstCommitIsDueAtOnceAndTheNextWaitsForTheInterval() throws Exception {
        ReleasedCursor cursor = new ReleasedCursor(fixture.led, fixture.cursors, LONG_INTERVAL);
        releasedUpTo(3);

        cursor.commitIfDue();
        releasedUpTo(5);
        cursor.commitIfDue();

        assertThat(fixture.cursor(LeaseRole.RESEQUENCER)).isEqualTo(3);
        assertThat(line.unpersisted()).isTrue();
    }

    @Test
    void aPacedCommitShortensTheWaitForNewsOnlyWhenItFallsDueSooner() throws Exception {
        ReleasedCursor cursor = new ReleasedCursor(fixture.led, fixture.cursors, LONG_INTERVAL);
        Duration poll = Duration.ofSeconds(2);
        assertThat(cursor.maxWait(poll)).as("nothing to commit").isEqualTo(poll);

        releasedUpTo(1);
        assertThat(cursor.maxWait(poll)).as("the first commit is due").isZero();

        cursor.commit();
        releasedUpTo(2);
        assertThat(cursor.maxWait(poll)).as("the next is an hour away").isEqualTo(poll);
    }

    @Test
    void aCursorStillPacedIsCommittedAtTheHandOver() throws Exception {
        ReleasedCursor cursor = new ReleasedCursor(fixture.led, fixture.cursors, LONG_INTERVAL);
        releasedUpTo(2);
        cursor.commitIfDue();
        releasedUpTo(4);

        cursor.handOver();

        assertThat(fixture.cursor(LeaseRole.RESEQUENCER)).isEqualTo(4);
        assertThat(line.unpersisted()).isFalse();
    }

    @Test
    void aHandOverThatCannotReachPostgresLeavesTheCursorToTheNextLeader() {
        ReleasedCursor cursor = new ReleasedCursor(fixture.led, fixture.cursors, Duration.ZERO);
        releasedUpTo(2);
        fixture.cursors.down(true);

        cursor.handOver();

        assertThat(fixture.cursor(LeaseRole.RESEQUENCER)).isZero();
        assertThat(line.unpersisted()).isTrue();
    }

    @Test
    void aLeaderFencedOffCannotCommitAndKeepsItsCursorUnpersisted() {
        ReleasedCursor cursor = new ReleasedCursor(fixture.led, fixture.cursors, Duration.ZERO);
        releasedUpTo(2);
        fixture.pipeline.cursors.taken(LeaderFixture.DESTINATION, LeaseRole.RESEQUENCER, 2);

        assertThatThrownBy(cursor::commitIfDue).isInstanceOf(LeaseLostException.class);

        assertThat(fixture.cursor(LeaseRole.RESEQUENCER)).isZero();
        assertThat(line.unpersisted()).isTrue();
    }

    private void releasedUpTo(long sequence) {
        long from = line.released();
        line.released(new ReleasePlan(from, (int) (sequence - from), false), sequence - from);
    }
}
