package org.reseq.resequencer.lead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.reseq.resequencer.lead.LeaderFixture.DESTINATION;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.reseq.model.failure.OperatorCommand;
import org.reseq.model.lease.LeaseRole;

class PollerTests {

    private final LeaderFixture fixture = new LeaderFixture().begin(1, 0);
    private final Poller poller;

    PollerTests() {
        FailedHeads failedHeads = new FailedHeads(fixture.led, fixture.context);
        Releaser releaser = new Releaser(fixture.led, fixture.context, failedHeads,
                new ReleasedCursor(fixture.led, fixture.cursors, Duration.ofHours(1)));
        Rewinder rewinder = new Rewinder(fixture.led, fixture.context,
                new Wakeups(fixture.led, fixture.pipeline.results), new DispatchWindow(fixture.led, fixture.context),
                failedHeads);
        poller = new Poller(fixture.led, fixture.context, rewinder,
                new OperatorCommandRunner(fixture.led, fixture.context, failedHeads, releaser, rewinder));
        fixture.pipeline.results.claim(fixture.led.lease());
    }

    @Test
    void progressNoSignalHadToldIsNewsAndAPollThatFindsNothingNewIsNot() throws Exception {
        fixture.pipeline.ingest(DESTINATION, 4);

        assertThat(poller.poll()).isTrue();
        assertThat(fixture.led.lastSequence()).isEqualTo(4);
        assertThat(fixture.led.settings().configJson()).isNotNull();

        assertThat(poller.poll()).isFalse();

        fixture.pipeline.cursors.set(DESTINATION, LeaseRole.EGRESS, 1);
        assertThat(poller.poll()).isTrue();
        assertThat(fixture.led.delivered()).isEqualTo(1);
    }

    @Test
    void aFinishedHeadWhoseSignalWasLostIsFoundInTheBuffer() throws Exception {
        fixture.pipeline.ingest(DESTINATION, 4);
        poller.poll();
        fixture.pipeline.results.finished(DESTINATION, LeaderFixture.result(1, true));

        assertThat(poller.poll()).isTrue();

        assertThat(fixture.led.line().headKnown()).isTrue();
    }

    @Test
    void aFenceRedisLostRewindsAtOnce() throws Exception {
        fixture.pipeline.ingest(DESTINATION, 4);
        poller.poll();
        fixture.pipeline.cursors.set(DESTINATION, LeaseRole.EGRESS, 2);
        fixture.pipeline.results.lose(DESTINATION);

        assertThat(poller.poll()).isTrue();

        assertThat(fixture.led.line().released()).isEqualTo(2);
        assertThat(fixture.cursor(LeaseRole.RESEQUENCER)).isEqualTo(2);
        assertThat(fixture.pipeline.results.fence(DESTINATION)).contains(1L);
    }

    @Test
    void aRewindEgressAskedForIsCarriedOutAtOnce() throws Exception {
        fixture.pipeline.ingest(DESTINATION, 4);
        poller.poll();
        fixture.pipeline.results.requestRewind(DESTINATION);

        assertThat(poller.poll()).isTrue();

        assertThat(fixture.count("reseq.resequencer.rewinds", "reason", "requested")).isEqualTo(1);
    }

    @Test
    void theOperatorsCommandsAreTakenAtEveryPoll() throws Exception {
        fixture.pipeline.command(DESTINATION, new OperatorCommand(OperatorCommand.Action.REDELIVER, 1));

        poller.poll();

        assertThat(fixture.pipeline.commands(DESTINATION)).isEmpty();
    }

    @Test
    void aDeletedDestinationIsLeftAsItIsUntilItsLeaderIsStopped() throws Exception {
        fixture.pipeline.ingest(DESTINATION, 4);
        poller.poll();
        fixture.pipeline.delete(DESTINATION);
        fixture.pipeline.command(DESTINATION, new OperatorCommand(OperatorCommand.Action.REDELIVER, 1));

        assertThat(poller.poll()).isFalse();

        assertThat(fixture.led.lastSequence()).isEqualTo(4);
        assertThat(fixture.pipeline.commands(DESTINATION)).hasSize(1);
    }
}
