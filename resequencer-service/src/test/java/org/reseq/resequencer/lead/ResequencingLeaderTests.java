package org.reseq.resequencer.lead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.reseq.infra.MutableClock;
import org.reseq.model.failure.DeadLetter;
import org.reseq.model.failure.OperatorCommand;
import org.reseq.model.leader.Mailboxes;
import org.reseq.model.lease.Lease;
import org.reseq.model.lease.LeaseLostException;
import org.reseq.model.lease.LeaseRole;
import org.reseq.model.lease.LeaseTerm;
import org.reseq.model.redis.TransformResult;
import org.reseq.model.redis.WorkItem;
import org.reseq.resequencer.dispatch.Dispatcher;
import org.reseq.resequencer.fake.CursorsWithOutage;
import org.reseq.resequencer.fake.InMemoryPipeline;
import org.reseq.model.tracing.MessageTracing;

/**
 * The resequencer's leader against in-memory stores (whose behaviour the contract tests tie to
 * Redis and PostgreSQL), with mutable clocks for its lease term and its head deadline: takeover,
 * deadline expiry, fence loss, rewind, skip, a store outage and the hand-over, in milliseconds.
 */
class ResequencingLeaderTests {

    private static final String DESTINATION = "orders";
    private static final Duration VALIDITY = Duration.ofSeconds(8);
    private static final Duration SOON = Duration.ofSeconds(5);
    private static final Duration HEAD_DEADLINE = LeaderFixture.HEAD_DEADLINE;

    private final InMemoryPipeline pipeline = new InMemoryPipeline();
    private final CursorsWithOutage cursors = new CursorsWithOutage(pipeline.cursors);
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final Mailboxes<Wakeup> mailboxes = new Mailboxes<>();
    private final LeaderContext context = context(Duration.ZERO);
    private Running running;

    ResequencingLeaderTests() {
        pipeline.destination(DESTINATION, LeaderFixture.config("BLOCK", 100));
    }

    @AfterEach
    void stop() throws Exception {
        if (running != null) {
            running.stop();
        }
    }

    @Test
    void releasesFinishedResultsInOrderAndMovesTheCursor() {
        pipeline.ingest(DESTINATION, 5);
        running = lead(1);

        awaitDispatched(5);
        finish(3, 1, 2, 5, 4);

        await().atMost(SOON).until(() -> released().equals(List.of(1L, 2L, 3L, 4L, 5L)));
        await().atMost(SOON).until(() -> pipeline.cursors.position(DESTINATION, LeaseRole.RESEQUENCER) == 5);
    }

    @Test
    void aLeaderWhoseTermEndedReleasesNothingAndEnds() throws Exception {
        pipeline.ingest(DESTINATION, 3);
        running = lead(1);
        awaitDispatched(3);

        nanos.addAndGet(VALIDITY.toNanos()); // frozen as long as the term: no renewal came
        finish(1, 2, 3);

        assertThat(running.failure()).isInstanceOf(LeaseLostException.class).hasMessageContaining("deadline");
        assertThat(released()).isEmpty();
        assertThat(pipeline.cursors.position(DESTINATION, LeaseRole.RESEQUENCER)).isZero();
    }

    @Test
    void aNewerLeaderTakesOverAtTheCursorAndTheOldOneEnds() throws Exception {
        pipeline.ingest(DESTINATION, 4);
        Running old = lead(1);
        awaitDispatched(4);
        finish(1, 2);
        await().atMost(SOON).until(() -> pipeline.cursors.position(DESTINATION, LeaseRole.RESEQUENCER) == 2);

        pipeline.cursors.taken(DESTINATION, LeaseRole.RESEQUENCER, 2);
        running = lead(2, 2);
        await().atMost(SOON).until(() -> pipeline.results.fence(DESTINATION).orElse(0L) == 2);
        finish(3, 4);

        assertThat(old.failure()).isInstanceOf(LeaseLostException.class).hasMessageContaining("higher epoch");
        await().atMost(SOON).until(() -> released().equals(List.of(1L, 2L, 3L, 4L)));
    }

    @Test
    void aLeaderRewindsToTheDeliveredCursorWhenRedisLostItsData() {
        pipeline.ingest(DESTINATION, 6);
        running = lead(1);
        awaitDispatched(6);
        finish(1, 2, 3);
        await().atMost(SOON).until(() -> released().size() == 3);
        pipeline.cursors.set(DESTINATION, LeaseRole.EGRESS, 2); // egress delivered 1 and 2 only
        int before = pipeline.work().size();

        pipeline.results.lose(DESTINATION); // Redis restarted empty

        await().atMost(SOON).until(() -> pipeline.work().size() >= before + 4);
        assertThat(pipeline.work().subList(before, before + 4)).extracting(WorkItem::sequence)
                .containsExactly(3L, 4L, 5L, 6L);
        assertThat(pipeline.cursors.position(DESTINATION, LeaseRole.RESEQUENCER)).isEqualTo(2);
        finish(3, 4, 5, 6);
        await().atMost(SOON).until(() -> released().equals(List.of(3L, 4L, 5L, 6L)));
    }

    @Test
    void anOperatorsSkipOfABlockedHeadReleasesAPlaceholderAndRecordsADeadLetter() {
        pipeline.ingest(DESTINATION, 3);
        running = lead(1);
        awaitDispatched(3);
        pipeline.results.finished(DESTINATION, result(1, false));
        finish(2, 3);
        await().during(Duration.ofMillis(100)).atMost(SOON).until(() -> released().isEmpty());

        pipeline.command(DESTINATION, new OperatorCommand(OperatorCommand.Action.SKIP, 1));
        mailboxes.route(DESTINATION, Wakeup.changed(DESTINATION));

        await().atMost(SOON).until(() -> released().equals(List.of(1L, 2L, 3L)));
        assertThat(pipeline.results.out(DESTINATION).getFirst().ok()).isFalse();
        assertThat(pipeline.deadLetters(DESTINATION)).containsEntry(1L, DeadLetter.Stage.SKIPPED);
        assertThat(pipeline.commands(DESTINATION)).isEmpty();
    }

    @Test
    void aStaleLeaderNeitherTakesNorDropsAnOperatorsCommand() throws Exception {
        pipeline.ingest(DESTINATION, 1);
        running = lead(1);
        awaitDispatched(1);
        pipeline.results.finished(DESTINATION, result(1, false));
        await().atMost(SOON).until(() -> pipeline.results.fence(DESTINATION).isPresent());

        pipeline.results.fence(DESTINATION, 2); // a newer leader claimed the destination
        pipeline.command(DESTINATION, new OperatorCommand(OperatorCommand.Action.SKIP, 1));
        mailboxes.route(DESTINATION, Wakeup.changed(DESTINATION));

        assertThat(running.failure()).isInstanceOf(LeaseLostException.class);
        assertThat(pipeline.commands(DESTINATION)).hasSize(1);
        assertThat(released()).isEmpty();
        running = null;
    }

    @Test
    void aRewindEgressAskedForDispatchesAgainEverythingAfterTheDeliveredCursor() {
        pipeline.ingest(DESTINATION, 4);
        running = lead(1);
        awaitDispatched(4);
        finish(1, 2, 3, 4);
        await().atMost(SOON).until(() -> released().size() == 4);
        pipeline.cursors.set(DESTINATION, LeaseRole.EGRESS, 2); // egress found a gap after 2

        pipeline.results.requestRewind(DESTINATION);
        // the leader is quiet: the instance's sweep sees the request and wakes it, as a change does
        mailboxes.route(DESTINATION, Wakeup.changed(DESTINATION));

        await().atMost(SOON).until(() -> pipeline.work().size() == 6);
        assertThat(pipeline.work().subList(4, 6)).extracting(WorkItem::sequence).containsExactly(3L, 4L);
        finish(3, 4);
        await().atMost(SOON).until(() -> released().equals(List.of(1L, 2L, 3L, 4L, 3L, 4L)));
    }

    @Test
    void aLeaderFencedOffInRedisReleasesNothingMoreAndEnds() throws Exception {
        pipeline.ingest(DESTINATION, 3);
        running = lead(1);
        awaitDispatched(3);

        pipeline.results.fence(DESTINATION, 2); // a newer leader claimed the destination
        finish(1, 2, 3);

        assertThat(running.failure()).isInstanceOf(LeaseLostException.class).hasMessageContaining("higher epoch");
        assertThat(released()).isEmpty();
        running = null;
    }

    @Test
    void aHeadWithoutAResultIsDispatchedAgainOnlyOnceTheHeadDeadlinePassed() {
        pipeline.ingest(DESTINATION, 2);
        running = lead(1);
        awaitDispatched(2);
        finish(2); // the head's work item was lost
        await().during(Duration.ofMillis(100)).atMost(SOON).until(() -> pipeline.work().size() == 2);

        clock.advance(LeaderFixture.HEAD_WAIT);

        await().atMost(SOON).until(() -> pipeline.work().size() == 3);
        assertThat(pipeline.work().getLast().sequence()).isEqualTo(1);
        finish(1);
        await().atMost(SOON).until(() -> released().equals(List.of(1L, 2L)));
    }

    @Test
    void aLeaderPausedByAPostgresOutageGoesOnByItselfOnceItEnds() {
        pipeline.ingest(DESTINATION, 3);
        running = lead(1);
        awaitDispatched(3);

        cursors.down(true);
        finish(1, 2, 3);
        await().atMost(SOON).until(() -> released().size() == 3);
        await().during(Duration.ofMillis(100)).atMost(SOON)
                .until(() -> pipeline.cursors.position(DESTINATION, LeaseRole.RESEQUENCER) == 0);
        cursors.down(false);

        await().atMost(SOON).until(() -> pipeline.cursors.position(DESTINATION, LeaseRole.RESEQUENCER) == 3);
        assertThat(released()).containsExactly(1L, 2L, 3L);
    }

    @Test
    void aLeaderAskedToStopCommitsItsPacedCursorForTheNext() throws Exception {
        pipeline.ingest(DESTINATION, 3);
        running = lead(1, 0, context(Duration.ofHours(1)));
        awaitDispatched(3);
        finish(1);
        await().atMost(SOON).until(() -> pipeline.cursors.position(DESTINATION, LeaseRole.RESEQUENCER) == 1);
        finish(2, 3);
        await().atMost(SOON).until(() -> released().size() == 3);
        assertThat(pipeline.cursors.position(DESTINATION, LeaseRole.RESEQUENCER)).as("paced").isEqualTo(1);

        running.stop();
        running = null;

        assertThat(pipeline.cursors.position(DESTINATION, LeaseRole.RESEQUENCER)).isEqualTo(3);
    }

    private LeaderContext context(Duration cursorCommitInterval) {
        return new LeaderContext(new Dispatcher(pipeline, pipeline, pipeline.results, Clock.systemUTC(),
                MessageTracing.NOOP), pipeline.results, cursors,
                mailboxes, pipeline, pipeline, new ResequencerMetrics(new SimpleMeterRegistry()), 100, Long.MAX_VALUE,
                Duration.ofMillis(5), Duration.ofMillis(20), HEAD_DEADLINE, cursorCommitInterval, clock);
    }

    private Running lead(long epoch) {
        return lead(epoch, 0);
    }

    private Running lead(long epoch, long position) {
        return lead(epoch, position, context);
    }

    private Running lead(long epoch, long position, LeaderContext context) {
        LeaseTerm term = new LeaseTerm(VALIDITY, nanos::get);
        term.renewed(term.now());
        Lease lease = new Lease(DESTINATION, 1, LeaseRole.RESEQUENCER, epoch, position, term);
        ResequencingLeader leader = new ResequencingLeader(DESTINATION, context);
        FutureTask<Void> task = new FutureTask<>(() -> {
            leader.lead(lease);
            return null;
        });
        Thread.ofPlatform().name("leader-" + epoch).start(task);
        return new Running(leader, task);
    }

    private void awaitDispatched(int count) {
        await().atMost(SOON).until(() -> pipeline.work().size() >= count);
    }

    private void finish(long... sequences) {
        for (long sequence : sequences) {
            pipeline.results.finished(DESTINATION, result(sequence, true));
            mailboxes.route(DESTINATION, new Wakeup(Wakeup.Kind.DONE,
                    org.reseq.model.redis.Signal.done(DESTINATION, sequence, true)));
        }
    }

    private List<Long> released() {
        return pipeline.results.out(DESTINATION).stream().map(TransformResult::sequence).toList();
    }

    private static TransformResult result(long sequence, boolean ok) {
        return new TransformResult(sequence, java.util.UUID.nameUUIDFromBytes((DESTINATION + sequence).getBytes()), ok,
                "text/plain", ok ? ("t-" + sequence).getBytes(StandardCharsets.UTF_8) : new byte[0],
                ok ? "" : "always fails", 1, 0);
    }

    /** A leader running on its own thread, as the lease keeper runs it. */
    private record Running(ResequencingLeader leader, FutureTask<Void> task) {

        /** How the leader ended, waiting for it. */
        Throwable failure() throws InterruptedException, java.util.concurrent.TimeoutException {
            try {
                task.get(SOON.toMillis(), TimeUnit.MILLISECONDS);
                return null;
            } catch (ExecutionException e) {
                return e.getCause();
            }
        }

        void stop() throws Exception {
            leader.stop();
            try {
                task.get(SOON.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                // ended by the test's doing already
            }
        }
    }
}
