package org.reseq.resequencer.lead;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.reseq.resequencer.release.ReleasePlan;

class LineTests {

    @Test
    void aResultAtOrBelowTheReleasedCursorIsAStaleRepeat() {
        Line line = new Line(10);

        assertThat(line.finished(10, true)).isFalse();
        assertThat(line.finished(11, true)).isTrue();
        assertThat(line.known()).containsExactly(11L);
    }

    @Test
    void theHeadWaitsOnlyOnceDispatchedAndUntilItsResultArrives() {
        Line line = new Line(0);
        assertThat(line.headWaiting()).as("not dispatched yet").isFalse();

        line.dispatchedUpTo(5);
        assertThat(line.headWaiting()).isTrue();

        line.finished(1, false);
        assertThat(line.headWaiting()).as("failed is a result too").isFalse();
    }

    @Test
    void aReleaseMovesTheCursorAndLeavesItUnpersistedUntilWritten() {
        Line line = new Line(0);
        line.dispatchedUpTo(3);
        line.finished(1, true);
        line.finished(2, true);
        ReleasePlan plan = line.plan(10);

        assertThat(line.released(plan, 2)).isTrue();

        assertThat(line.released()).isEqualTo(2);
        assertThat(line.unpersisted()).isTrue();
        line.persisted();
        assertThat(line.unpersisted()).isFalse();
    }

    @Test
    void aShortReleaseDispatchesAgainFromTheNewCursor() {
        Line line = new Line(0);
        line.dispatchedUpTo(9);
        for (long sequence = 1; sequence <= 4; sequence++) {
            line.finished(sequence, true);
        }

        assertThat(line.released(line.plan(10), 2)).isFalse();

        assertThat(line.released()).isEqualTo(2);
        assertThat(line.dispatched()).isEqualTo(2);
        assertThat(line.known()).isEmpty();
    }

    @Test
    void aRestartForgetsEveryResult() {
        Line line = new Line(20);
        line.dispatchedUpTo(40);
        line.finished(25, true);
        line.finished(21, false);

        line.restart(12);

        assertThat(line.released()).isEqualTo(12);
        assertThat(line.dispatched()).isEqualTo(12);
        assertThat(line.unpersisted()).isFalse();
        assertThat(line.known()).isEmpty();
        assertThat(line.headWaiting()).isFalse();
    }

    @Test
    void aPassedFailureGoesOutInItsPlaceAndIsForgottenOnRelease() {
        Line line = new Line(0);
        line.dispatchedUpTo(3);
        line.finished(1, false);
        line.finished(2, true);
        assertThat(line.headBlocked()).isTrue();
        assertThat(line.plan(10).headFailed()).isTrue();

        line.pass(1);

        assertThat(line.headBlocked()).isFalse();
        ReleasePlan plan = line.plan(10);
        assertThat(plan.count()).isEqualTo(2);
        assertThat(line.released(plan, 2)).isTrue();
        assertThat(line.known()).isEmpty();
    }

    @Test
    void passingASequenceWithoutAFailedResultChangesNothing() {
        Line line = new Line(0);
        line.pass(1);
        line.finished(1, false);

        assertThat(line.headBlocked()).isTrue();
    }

    @Test
    void aForgottenHeadWaitsAgain() {
        Line line = new Line(0);
        line.dispatchedUpTo(2);
        line.finished(1, false);

        line.forget(1);

        assertThat(line.headBlocked()).isFalse();
        assertThat(line.headWaiting()).isTrue();
        assertThat(line.known()).isEmpty();
    }

    @Test
    void aReleaseOfAnUndispatchedHeadMovesTheDispatchedCursorWithIt() {
        Line line = new Line(0);

        line.released(new ReleasePlan(0, 1, false), 1);

        assertThat(line.dispatched()).isEqualTo(1);
    }
}
