package org.reseq.resequencer.lead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.reseq.resequencer.lead.LeaderFixture.DESTINATION;
import static org.reseq.resequencer.lead.LeaderFixture.HEAD_DEADLINE;
import static org.reseq.resequencer.lead.LeaderFixture.HEAD_WAIT;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DispatchWindowTests {

    private final LeaderFixture fixture = new LeaderFixture(3).begin(1, 0);
    private final Line line = fixture.led.line();
    private final DispatchWindow window = new DispatchWindow(fixture.led, fixture.context);

    DispatchWindowTests() {
        fixture.pipeline.ingest(DESTINATION, 10);
    }

    @Test
    void nothingIsDispatchedBeforeTheConfigurationIsKnown() throws Exception {
        fixture.led.ingestedUpTo(10);

        window.fill();

        assertThat(fixture.dispatched()).isEmpty();
    }

    @Test
    void deliveriesWithNothingToTransformAreFinishedAtOnceWithoutWork() throws Exception {
        fixture.pipeline.destination(DESTINATION, LeaderFixture.withoutTransforms());
        fixture.progressKnown();

        assertThat(window.fill()).as("results are ready").isTrue();

        assertThat(fixture.dispatched()).as("work items").isEmpty();
        assertThat(line.dispatched()).isEqualTo(3);
        assertThat(line.plan(100).count()).isEqualTo(3);
        assertThat(fixture.pipeline.results.result(fixture.led.incarnation(), 1)).hasValueSatisfying(result -> {
            assertThat(result.ok()).isTrue();
            assertThat(result.payload()).asString().isEqualTo("m-1");
        });
        assertThat(fixture.count("reseq.resequencer.dispatched")).isEqualTo(3);
    }

    @Test
    void dispatchesNoFurtherThanTheWindowPastTheDeliveredCursor() throws Exception {
        fixture.progressKnown();

        window.fill();
        assertThat(fixture.dispatched()).containsExactly(1L, 2L, 3L);

        fixture.led.deliveredUpTo(2);
        window.fill();

        assertThat(fixture.dispatched()).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(line.dispatched()).isEqualTo(5);
        assertThat(fixture.count("reseq.resequencer.dispatched")).isEqualTo(5);
    }

    @Test
    void largePayloadsAreDispatchedOnlyWhileTheWindowsBytesAllowAndMoreOnceDelivered() throws Exception {
        LeaderFixture large = new LeaderFixture(100).begin(1, 0);
        DispatchWindow bytesBound = new DispatchWindow(large.led, large.context);
        large.pipeline.ingest(DESTINATION, 20, 1024 * 1024);
        large.progressKnown();

        bytesBound.fill();
        assertThat(large.dispatched()).as("3 MiB of window bytes").containsExactly(1L, 2L, 3L);

        large.led.deliveredUpTo(2);
        bytesBound.fill();

        assertThat(large.dispatched()).containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void aSequenceThatHasAResultAlreadyIsNotDispatchedAgain() throws Exception {
        fixture.progressKnown();
        fixture.finished(true, 2);

        window.fill();

        assertThat(fixture.dispatched()).containsExactly(1L, 3L);
        assertThat(line.dispatched()).isEqualTo(3);
    }

    @Test
    void aHeadWithoutAResultIsDispatchedAgainEveryHeadDeadline() throws Exception {
        fixture.progressKnown();
        window.fill();
        window.watchHead(); // the deadline starts when the head is first seen waiting

        fixture.clock.advance(HEAD_WAIT.minusMillis(1));
        window.watchHead();
        assertThat(fixture.dispatched()).containsExactly(1L, 2L, 3L);

        fixture.clock.advance(Duration.ofMillis(1));
        window.watchHead();
        assertThat(fixture.dispatched()).containsExactly(1L, 2L, 3L, 1L);

        fixture.clock.advance(HEAD_WAIT);
        window.watchHead();
        assertThat(fixture.dispatched()).containsExactly(1L, 2L, 3L, 1L, 1L);
        assertThat(fixture.count("reseq.resequencer.head.redispatched")).isEqualTo(2);
    }

    @Test
    void aHeadWithAResultIsNotWatched() throws Exception {
        fixture.progressKnown();
        window.fill();
        fixture.finished(true, 1);

        window.watchHead();
        fixture.clock.advance(HEAD_DEADLINE.multipliedBy(2));
        window.watchHead();

        assertThat(fixture.dispatched()).containsExactly(1L, 2L, 3L);
    }

    @Test
    void afterAResetTheHeadDeadlineStartsAgain() throws Exception {
        fixture.progressKnown();
        window.fill();
        window.watchHead();
        fixture.clock.advance(HEAD_WAIT.minusMillis(1));

        window.reset();
        window.watchHead();
        fixture.clock.advance(Duration.ofMillis(1));
        window.watchHead();

        assertThat(fixture.dispatched()).containsExactly(1L, 2L, 3L);
    }
}
