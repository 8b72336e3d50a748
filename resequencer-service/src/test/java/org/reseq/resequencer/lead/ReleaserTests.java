package org.reseq.resequencer.lead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.reseq.resequencer.lead.LeaderFixture.DESTINATION;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.reseq.model.failure.DeadLetter;
import org.reseq.model.lease.LeaseLostException;
import org.reseq.model.lease.LeaseRole;
import org.reseq.model.redis.TransformResult;

class ReleaserTests {

    private static final String BLOCKED = "reseq.resequencer.blocked.sequence";

    private final LeaderFixture fixture = new LeaderFixture().begin(1, 0);
    private final Line line = fixture.led.line();
    private final ReleasedCursor cursor = new ReleasedCursor(fixture.led, fixture.cursors, Duration.ofHours(1));
    private final Releaser releaser = new Releaser(fixture.led, fixture.context,
            new FailedHeads(fixture.led, fixture.context), cursor);

    ReleaserTests() {
        fixture.pipeline.ingest(DESTINATION, 8);
        fixture.pipeline.results.claim(fixture.led.lease());
    }

    @Test
    void releasesTheContiguousRunAfterTheCursorBatchAfterBatch() throws Exception {
        fixture.pipeline.destination(DESTINATION, LeaderFixture.config("BLOCK", 2));
        fixture.progressKnown();
        fixture.finished(true, 2, 1, 3, 5, 4, 7);

        releaser.release();

        assertThat(fixture.released()).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(line.released()).isEqualTo(5);
        assertThat(line.known()).containsExactly(7L);
        assertThat(fixture.count("reseq.resequencer.released")).isEqualTo(5);
        assertThat(fixture.cursor(LeaseRole.RESEQUENCER)).as("committed later, paced").isZero();
    }

    @Test
    void aResultMissingFromRedisStopsTheReleaseSoThatItIsDispatchedAgain() throws Exception {
        fixture.progressKnown();
        line.dispatchedUpTo(8);
        fixture.finished(true, 1, 2, 3);
        fixture.pipeline.results.discard(LeaderFixture.INCARNATION, 2); // gone from the buffer behind the leader's back

        releaser.release();

        assertThat(fixture.released()).containsExactly(1L);
        assertThat(line.released()).isEqualTo(1);
        assertThat(line.dispatched()).as("the window dispatches again from R").isEqualTo(1);
        assertThat(line.known()).isEmpty();
    }

    @Test
    void aFailedHeadUnderBlockHoldsTheLineAndIsMeasuredUntilItPasses() throws Exception {
        fixture.progressKnown();
        fixture.finished(false, 1);
        fixture.finished(true, 2);

        releaser.release();
        assertThat(fixture.released()).isEmpty();
        assertThat(fixture.gauge(BLOCKED)).isEqualTo(1);

        releaser.releaseSkipped(placeholder(1));
        releaser.release();

        assertThat(fixture.released()).containsExactly(1L, 2L);
        assertThat(fixture.gauge(BLOCKED)).isZero();
    }

    @Test
    void aFailedHeadUnderDeadLetterIsRecordedAndGoesOutInItsPlace() throws Exception {
        fixture.pipeline.destination(DESTINATION, LeaderFixture.config("DEAD_LETTER", 100));
        fixture.progressKnown();
        fixture.finished(false, 1);
        fixture.finished(true, 2);

        releaser.release();

        assertThat(fixture.released()).containsExactly(1L, 2L);
        assertThat(fixture.pipeline.results.out(DESTINATION).getFirst().ok()).isFalse();
        assertThat(fixture.pipeline.deadLetters(DESTINATION)).containsExactly(Map.entry(1L, DeadLetter.Stage.TRANSFORM));
        assertThat(fixture.gauge(BLOCKED)).isZero();
    }

    @Test
    void aSkippedHeadsPlaceholderReplacesItsResultAndTheCursorIsCommittedAtOnce() throws Exception {
        fixture.progressKnown();
        fixture.finished(false, 1);

        releaser.releaseSkipped(placeholder(1));

        assertThat(fixture.pipeline.results.out(DESTINATION)).extracting(TransformResult::error)
                .containsExactly(FailedHeads.SKIPPED);
        assertThat(fixture.cursor(LeaseRole.RESEQUENCER)).isEqualTo(1);
        assertThat(fixture.count("reseq.resequencer.dead.lettered", "stage", "SKIPPED")).isEqualTo(1);
    }

    @Test
    void aLeaderWhoseTermEndedReleasesNothing() {
        fixture.progressKnown();
        fixture.finished(true, 1, 2);
        fixture.nanos.addAndGet(LeaderFixture.VALIDITY.toNanos());

        assertThatThrownBy(releaser::release).isInstanceOf(LeaseLostException.class);

        assertThat(fixture.released()).isEmpty();
        assertThat(line.released()).isZero();
    }

    private static TransformResult placeholder(long sequence) {
        TransformResult failed = LeaderFixture.result(sequence, false);
        return new TransformResult(sequence, failed.messageId(), false, failed.contentType(), new byte[0],
                FailedHeads.SKIPPED, failed.attempts(), 0);
    }
}
