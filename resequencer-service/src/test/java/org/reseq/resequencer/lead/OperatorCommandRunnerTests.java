package org.reseq.resequencer.lead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.reseq.resequencer.lead.LeaderFixture.DESTINATION;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.reseq.model.failure.DeadLetter;
import org.reseq.model.failure.OperatorCommand.Action;
import org.reseq.model.failure.OperatorCommand;
import org.reseq.model.lease.LeaseRole;
import org.reseq.resequencer.lead.Rewinder.Rewind;

class OperatorCommandRunnerTests {

    private final LeaderFixture fixture = new LeaderFixture().begin(1, 0);
    private final FailedHeads failedHeads = new FailedHeads(fixture.led, fixture.context);
    private final Releaser releaser = new Releaser(fixture.led, fixture.context, failedHeads,
            new ReleasedCursor(fixture.led, fixture.cursors, Duration.ofHours(1)));
    private final Rewinder rewinder = new Rewinder(fixture.led, fixture.context,
            new Wakeups(fixture.led, fixture.pipeline.results), new DispatchWindow(fixture.led, fixture.context),
            failedHeads);
    private final OperatorCommandRunner runner = new OperatorCommandRunner(fixture.led, fixture.context,
            failedHeads, releaser, rewinder);

    OperatorCommandRunnerTests() {
        fixture.pipeline.ingest(DESTINATION, 3);
        fixture.pipeline.results.claim(fixture.led.lease());
        fixture.progressKnown();
        fixture.led.line().dispatchedUpTo(3);
        fixture.finished(false, 1); // the head failed for good: blocked under BLOCK
        fixture.finished(true, 2, 3);
    }

    @Test
    void aRetryOfTheBlockedHeadDropsItsFailedResultAndDispatchesItAgain() throws Exception {
        command(Action.RETRY, 1);

        runner.obey();

        assertThat(fixture.pipeline.results.result(LeaderFixture.INCARNATION, 1)).isEmpty();
        assertThat(fixture.led.line().headWaiting()).isTrue();
        assertThat(fixture.dispatched()).containsExactly(1L);
        assertThat(fixture.pipeline.commands(DESTINATION)).isEmpty();
    }

    @Test
    void aSkipOfTheBlockedHeadRecordsADeadLetterAndReleasesAPlaceholderInItsPlace() throws Exception {
        command(Action.SKIP, 1);

        runner.obey();

        assertThat(fixture.released()).containsExactly(1L);
        assertThat(fixture.pipeline.results.out(DESTINATION).getFirst().error()).isEqualTo(FailedHeads.SKIPPED);
        assertThat(fixture.pipeline.deadLetters(DESTINATION)).containsExactly(Map.entry(1L, DeadLetter.Stage.SKIPPED));
        assertThat(fixture.cursor(LeaseRole.RESEQUENCER)).isEqualTo(1);
        assertThat(fixture.pipeline.commands(DESTINATION)).isEmpty();
    }

    @Test
    void aCommandForASequenceThatIsNotTheBlockedHeadIsTakenAndChangesNothing() throws Exception {
        command(Action.SKIP, 2);
        command(Action.RETRY, 3);

        runner.obey();

        assertThat(fixture.released()).isEmpty();
        assertThat(fixture.dispatched()).isEmpty();
        assertThat(fixture.pipeline.deadLetters(DESTINATION)).isEmpty();
        assertThat(fixture.led.line().headBlocked()).isTrue();
        assertThat(fixture.pipeline.commands(DESTINATION)).isEmpty();
    }

    @Test
    void aRedeliveryIsLeftToEgress() throws Exception {
        command(Action.REDELIVER, 1);

        runner.obey();

        assertThat(fixture.led.line().headBlocked()).isTrue();
        assertThat(fixture.pipeline.commands(DESTINATION)).isEmpty();
    }

    @Test
    void aFewCommandsAreCarriedOutPerPollAndTheRestWait() throws Exception {
        for (int i = 0; i < OperatorCommandRunner.COMMANDS_PER_POLL + 2; i++) {
            command(Action.REDELIVER, 1);
        }

        runner.obey();

        assertThat(fixture.pipeline.commands(DESTINATION)).hasSize(2);
    }

    @Test
    void noCommandIsCarriedOutWhileARewindIsDue() throws Exception {
        command(Action.SKIP, 1);
        rewinder.schedule(Rewind.requestedByEgress());

        runner.obey();

        assertThat(fixture.released()).isEmpty();
        assertThat(fixture.pipeline.commands(DESTINATION)).hasSize(1);
    }

    private void command(Action action, long sequence) {
        fixture.pipeline.command(DESTINATION, new OperatorCommand(action, sequence));
    }
}
