package org.reseq.egress.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.reseq.egress.delivery.Delivery;
import org.reseq.egress.delivery.DeliveryChannels;
import org.reseq.egress.delivery.DeliveryMetrics;
import org.reseq.egress.fake.InMemoryCursors;
import org.reseq.egress.fake.InMemoryDeliveryDeadLetters;
import org.reseq.egress.fake.InMemoryDestinations;
import org.reseq.egress.fake.InMemoryHeldHeads;
import org.reseq.egress.fake.InMemoryOutStream;
import org.reseq.egress.fake.InMemoryRedeliveries;
import org.reseq.egress.fake.RecordingDeliveryChannel;
import org.reseq.infra.MutableClock;
import org.reseq.model.failure.DeadLetter;
import org.reseq.model.failure.OperatorCommand;
import org.reseq.model.leader.Mailboxes;
import org.reseq.model.lease.Lease;
import org.reseq.model.lease.LeaseLostException;
import org.reseq.model.lease.LeaseRole;
import org.reseq.model.lease.LeaseTerm;
import org.reseq.model.redis.Incarnation;
import org.reseq.model.redis.TransformResult;
import org.springframework.data.redis.connection.stream.RecordId;

/**
 * The egress leader against in-memory stores (whose behaviour the contract tests tie to Redis and
 * PostgreSQL), a destination that records what it accepted, and mutable clocks for its lease term
 * and its gap timeout: takeover, deadline expiry, fence loss, rewind and the failure policies, in
 * milliseconds.
 */
class EgressLeaderTests {

    private static final String DESTINATION = "orders";
    private static final Duration VALIDITY = Duration.ofSeconds(8);
    private static final Duration GAP_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration SOON = Duration.ofSeconds(5);
    private static final String BLOCK = """
            {"type":"HTTP","url":"http://127.0.0.1:9/in","maxBatch":100,"onFailure":"BLOCK"}""";
    private static final String DEAD_LETTER = """
            {"type":"HTTP","url":"http://127.0.0.1:9/in","maxBatch":100,"onFailure":"DEAD_LETTER"}""";

    /** The monotonic clock of the lease terms: it moves only when the test says time passed unrenewed. */
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final InMemoryDestinations destinations = new InMemoryDestinations();
    private final InMemoryCursors cursors = new InMemoryCursors();
    private final InMemoryOutStream out = new InMemoryOutStream();
    /** The incarnation the tests' leases lead (destination id 1). */
    private static final Incarnation INCARNATION = new Incarnation(DESTINATION, 1);
    private final InMemoryRedeliveries redeliveries = new InMemoryRedeliveries();
    private final InMemoryHeldHeads heldHeads = new InMemoryHeldHeads();
    private final InMemoryDeliveryDeadLetters deadLetters = new InMemoryDeliveryDeadLetters(cursors, clock);
    private final DeliveryMetrics metrics = new DeliveryMetrics(new SimpleMeterRegistry());
    private final RecordingDeliveryChannel receiver = new RecordingDeliveryChannel(metrics);
    private final Mailboxes<Wakeup> mailboxes = new Mailboxes<>();
    private final LeaderContext context = new LeaderContext(destinations, cursors, out,
            new DeliveryChannels(List.of(receiver)), mailboxes, metrics, clock, Duration.ofMillis(5),
            Duration.ofMillis(20), GAP_TIMEOUT, Duration.ZERO, deadLetters, redeliveries, heldHeads);
    private final List<Running> running = new ArrayList<>();

    EgressLeaderTests() {
        destinations.create(DESTINATION, BLOCK);
    }

    @AfterEach
    void stopLeaders() throws Exception {
        for (Running leader : running) {
            leader.stop();
        }
    }

    @Test
    void deliversTheOutStreamInSequenceOrderAndMovesTheCursor() {
        release(3, 1, 2, 5, 4);

        lead(1, 0);

        awaitDelivered(5);
        assertThat(accepted()).containsExactly(1L, 2L, 3L, 4L, 5L);
        soon().until(() -> out.sequences(DESTINATION).isEmpty());
        assertThat(out.deliveredSignals(DESTINATION)).last().isEqualTo(5L);
    }

    @Test
    void aNewHolderResumesAtTheCommittedCursorAndDeliversTheRestInOrder() throws Exception {
        cursors.taken(DESTINATION, LeaseRole.EGRESS, 1);
        release(1, 2, 3);
        Running first = lead(1, 0);
        awaitDelivered(3);
        first.stop(); // hands the lease over

        release(3, 5, 4, 6); // 3 released a second time, the rest out of order
        cursors.taken(DESTINATION, LeaseRole.EGRESS, 2);
        lead(2, cursors.position(DESTINATION, LeaseRole.EGRESS));

        awaitDelivered(6);
        assertThat(accepted()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(receiver.accepted()).extracting(Delivery::epoch).containsExactly(1L, 1L, 1L, 2L, 2L, 2L);
        soon().until(() -> out.sequences(DESTINATION).isEmpty());
    }

    @Test
    void aLeaderWhoseTermEndedDeliversNothingMoreAndEnds() throws Exception {
        release(1, 2);
        Running leader = lead(1, 0);
        awaitDelivered(2);

        nanos.addAndGet(VALIDITY.toNanos()); // frozen for a whole term: no renewal came
        release(3);
        mailboxes.route(DESTINATION, Wakeup.RELEASED);

        assertThat(leader.failure()).isInstanceOf(LeaseLostException.class).hasMessageContaining("deadline");
        assertThat(accepted()).containsExactly(1L, 2L);
        assertThat(cursors.position(DESTINATION, LeaseRole.EGRESS)).isEqualTo(2);
        assertThat(out.sequences(DESTINATION)).containsExactly(3L);
    }

    @Test
    void aLeaderFencedOutByAHigherEpochEndsAndTheNewHolderDeliversTheRest() throws Exception {
        cursors.taken(DESTINATION, LeaseRole.EGRESS, 1);
        release(1, 2);
        Running stale = lead(1, 0);
        awaitDelivered(2);
        soon().until(() -> redeliveries.fence(DESTINATION).orElse(0L) == 1);

        // another instance took the lease over and claimed the destination's fences
        cursors.taken(DESTINATION, LeaseRole.EGRESS, 2);
        redeliveries.fence(DESTINATION, 2);

        assertThat(stale.failure()).isInstanceOf(LeaseLostException.class).hasMessageContaining("higher epoch");
        release(3);
        lead(2, 2);
        awaitDelivered(3);
        assertThat(receiver.accepted()).extracting(Delivery::epoch).containsExactly(1L, 1L, 2L);
    }

    @Test
    void aLeaderWhoseCursorWriteIsFencedOutEndsWithoutMovingTheCursor() throws Exception {
        cursors.taken(DESTINATION, LeaseRole.EGRESS, 1);
        release(1, 2);
        Running stale = lead(1, 0);
        awaitDelivered(2);

        cursors.taken(DESTINATION, LeaseRole.EGRESS, 2);
        release(3);
        mailboxes.route(DESTINATION, Wakeup.RELEASED);

        assertThat(stale.failure()).isInstanceOf(LeaseLostException.class).hasMessageContaining("epoch moved on");
        assertThat(cursors.position(DESTINATION, LeaseRole.EGRESS)).isEqualTo(2);
        assertThat(out.sequences(DESTINATION)).as("left for the next holder").containsExactly(3L);
    }

    @Test
    void aGapTheResequencerReleasedPastIsAskedForAgainAndFilledInOrder() {
        cursors.set(DESTINATION, LeaseRole.RESEQUENCER, 5);
        release(1, 2, 4, 5); // 3 was lost on the way to the out stream
        lead(1, 0);
        awaitDelivered(2);

        soon().during(Duration.ofMillis(100)).until(() -> out.rewindRequested(DESTINATION).isEmpty());
        soon().until(() -> {
            clock.advance(Duration.ofSeconds(1)); // the leader waits at the gap meanwhile
            return out.rewindRequested(DESTINATION).isPresent();
        });
        assertThat(out.rewindRequested(DESTINATION)).hasValue(2);
        assertThat(metrics.rewinds(DESTINATION).count()).isEqualTo(1);

        out.takeRewind(DESTINATION);
        release(2, 3, 4, 5); // released again from the delivered cursor: 2 is a repeat, 4 and 5 second copies
        mailboxes.route(DESTINATION, Wakeup.RELEASED);

        awaitDelivered(5);
        assertThat(accepted()).containsExactly(1L, 2L, 3L, 4L, 5L);
        soon().until(() -> out.sequences(DESTINATION).isEmpty());
    }

    @Test
    void aStreamRecreatedWithLowerIdsIsReadAgainFromItsStart() {
        release(1, 2);
        lead(1, 0);
        awaitDelivered(2);
        soon().until(() -> out.sequences(DESTINATION).isEmpty());

        out.lose(DESTINATION); // and a restarted Redis hands out ids below every one read before
        out.append(DESTINATION, RecordId.of(1, 3), result(3));
        out.append(DESTINATION, RecordId.of(1, 4), result(4));
        mailboxes.route(DESTINATION, Wakeup.RELEASED);

        awaitDelivered(4);
        assertThat(accepted()).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void aResultThatFailedUpstreamIsPassedOverAndTheNextDelivered() {
        release(1);
        out.append(DESTINATION, failed(2)); // the resequencer's placeholder for a skipped message
        release(3);

        lead(1, 0);

        awaitDelivered(3);
        assertThat(accepted()).containsExactly(1L, 3L);
        assertThat(receiver.attempts(2)).isZero();
    }

    @Test
    void aMessageRejectedForGoodUnderDeadLetterIsRecordedAndTheNextDelivered() {
        destinations.reconfigure(DESTINATION, DEAD_LETTER);
        receiver.rejectForGood(2);
        release(1, 2, 3);

        lead(1, 0);

        awaitDelivered(3);
        assertThat(accepted()).containsExactly(1L, 3L);
        assertThat(deadLetters.all(DESTINATION)).singleElement().satisfies(letter -> {
            assertThat(letter.sequence()).isEqualTo(2);
            assertThat(letter.stage()).isEqualTo(DeadLetter.Stage.DELIVERY);
            assertThat(letter.attempts()).isEqualTo(RecordingDeliveryChannel.PERMANENT_FAILURE_ATTEMPTS);
            assertThat(letter.payload()).isEqualTo(result(2).payload());
        });
    }

    @Test
    void aMessageRejectedForGoodUnderBlockStaysNextInLine() {
        receiver.rejectForGood(2);
        release(1, 2, 3);

        lead(1, 0);

        soon().until(() -> receiver.attempts(2) > RecordingDeliveryChannel.PERMANENT_FAILURE_ATTEMPTS);
        awaitDelivered(1);
        assertThat(accepted()).containsExactly(1L);
        assertThat(deadLetters.all(DESTINATION)).isEmpty();
    }

    @Test
    void aBatchedDestinationGetsWhatIsReadyInOrderedBatchesWithinItsLimit() {
        destinations.reconfigure(DESTINATION, batched("BLOCK", 3));
        release(2, 1, 3, 5, 4, 7, 6);

        lead(1, 0);

        awaitDelivered(7);
        assertThat(accepted()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
        assertThat(receiver.acceptedBatches()).allSatisfy(batch -> assertThat(batch).hasSizeBetween(1, 3))
                .anySatisfy(batch -> assertThat(batch).hasSizeGreaterThan(1));
        assertThat(receiver.acceptedBatches().stream().flatMap(List::stream).toList())
                .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
    }

    @Test
    void aBatchRejectedForGoodIsSentOneByOneSoThatOnlyTheRejectedMessageIsDeadLettered() {
        destinations.reconfigure(DESTINATION, batched("DEAD_LETTER", 10));
        receiver.rejectForGood(3);
        release(1, 2, 3, 4, 5);

        lead(1, 0);

        awaitDelivered(5);
        assertThat(accepted()).containsExactly(1L, 2L, 4L, 5L);
        assertThat(receiver.acceptedBatches()).containsExactly(List.of(1L), List.of(2L), List.of(4L), List.of(5L));
        assertThat(deadLetters.all(DESTINATION)).singleElement()
                .satisfies(letter -> assertThat(letter.sequence()).isEqualTo(3));
    }

    @Test
    void underBlockABatchRejectedForGoodHoldsTheRejectedMessageAloneAfterDeliveringThoseBeforeIt() {
        destinations.reconfigure(DESTINATION, batched("BLOCK", 10));
        receiver.rejectForGood(3);
        release(1, 2, 3, 4, 5);

        lead(1, 0);

        soon().until(() -> heldHeads.held(INCARNATION).isPresent());
        assertThat(heldHeads.held(INCARNATION).orElseThrow().sequence()).isEqualTo(3);
        awaitDelivered(2);
        assertThat(accepted()).containsExactly(1L, 2L);
        assertThat(deadLetters.all(DESTINATION)).isEmpty();
    }

    @Test
    void aMessageHeldUnderBlockIsSkippedOnAnOperatorsCommandAndTheRestGoesOn() {
        receiver.rejectForGood(2);
        release(1, 2, 3);
        lead(1, 0);
        soon().until(() -> receiver.attempts(2) > RecordingDeliveryChannel.PERMANENT_FAILURE_ATTEMPTS);
        soon().until(() -> heldHeads.held(INCARNATION).isPresent());
        assertThat(heldHeads.held(INCARNATION).orElseThrow().sequence()).isEqualTo(2);

        redeliveries.command(DESTINATION, new OperatorCommand(OperatorCommand.Action.SKIP, 2));
        mailboxes.route(DESTINATION, Wakeup.CHANGED);

        awaitDelivered(3);
        assertThat(accepted()).containsExactly(1L, 3L);
        assertThat(heldHeads.held(INCARNATION)).isEmpty();
        assertThat(deadLetters.all(DESTINATION)).singleElement().satisfies(letter -> {
            assertThat(letter.sequence()).isEqualTo(2);
            assertThat(letter.stage()).isEqualTo(DeadLetter.Stage.SKIPPED);
            assertThat(letter.payload()).isEqualTo(result(2).payload());
        });
    }

    @Test
    void aMessageThatCannotBeFramedGoesToTheFailurePolicyLikeARejection() {
        destinations.reconfigure(DESTINATION, DEAD_LETTER);
        receiver.cannotFrame(2);
        release(1, 2, 3);

        lead(1, 0);

        awaitDelivered(3);
        assertThat(accepted()).containsExactly(1L, 3L);
        assertThat(deadLetters.all(DESTINATION)).singleElement().satisfies(letter -> {
            assertThat(letter.stage()).isEqualTo(DeadLetter.Stage.DELIVERY);
            assertThat(letter.error()).contains("line break");
        });
    }

    @Test
    void aMessageThatCannotBeFramedUnderBlockIsHeldUntilAnOperatorSkipsIt() {
        receiver.cannotFrame(2);
        release(1, 2, 3);
        lead(1, 0);
        awaitDelivered(1);

        redeliveries.command(DESTINATION, new OperatorCommand(OperatorCommand.Action.SKIP, 2));
        mailboxes.route(DESTINATION, Wakeup.CHANGED);

        awaitDelivered(3);
        assertThat(accepted()).containsExactly(1L, 3L);
        assertThat(deadLetters.all(DESTINATION)).extracting(DeadLetter::stage)
                .containsExactly(DeadLetter.Stage.SKIPPED);
    }

    @Test
    void aSkipOfAMessageEgressDoesNotHoldIsIgnored() {
        release(1);
        lead(1, 0);
        awaitDelivered(1);

        redeliveries.command(DESTINATION, new OperatorCommand(OperatorCommand.Action.SKIP, 2));
        mailboxes.route(DESTINATION, Wakeup.CHANGED);
        soon().until(() -> redeliveries.waiting(DESTINATION).isEmpty());
        release(2);

        awaitDelivered(2);
        assertThat(accepted()).containsExactly(1L, 2L);
        assertThat(deadLetters.all(DESTINATION)).isEmpty();
    }

    @Test
    void anOperatorsRedeliveryGoesOutOfOrderWithoutMovingTheCursor() {
        release(1);
        lead(1, 0);
        awaitDelivered(1);
        deadLetters.add(new DeadLetter(DESTINATION, 7, UUID.randomUUID(), DeadLetter.Stage.TRANSFORM, "failed", 3,
                "text/plain", "m-7".getBytes(StandardCharsets.UTF_8), clock.instant(), null));

        redeliveries.command(DESTINATION, new OperatorCommand(OperatorCommand.Action.REDELIVER, 7));
        mailboxes.route(DESTINATION, Wakeup.CHANGED);

        soon().until(() -> deadLetters.find(DESTINATION, 7).orElseThrow().redeliveredAt() != null);
        assertThat(receiver.accepted()).last().satisfies(delivery -> {
            assertThat(delivery.sequence()).isEqualTo(7);
            assertThat(delivery.redelivery()).isTrue();
        });
        assertThat(cursors.position(DESTINATION, LeaseRole.EGRESS)).isEqualTo(1);
        assertThat(redeliveries.waiting(DESTINATION)).isEmpty();
    }

    private Running lead(long epoch, long position) {
        LeaseTerm term = new LeaseTerm(VALIDITY, nanos::get);
        term.renewed(term.now());
        Lease lease = new Lease(DESTINATION, 1, LeaseRole.EGRESS, epoch, position, term);
        EgressLeader leader = new EgressLeader(DESTINATION, context);
        FutureTask<Void> task = new FutureTask<>(() -> {
            leader.lead(lease);
            return null;
        });
        Thread.ofPlatform().name("egress-leader-" + epoch).start(task);
        Running started = new Running(leader, task);
        running.add(started);
        return started;
    }

    /** Awaitility polling often: the leader's rounds take microseconds. */
    private static ConditionFactory soon() {
        return await().atMost(SOON).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2));
    }

    private void release(long... sequences) {
        for (long sequence : sequences) {
            out.append(DESTINATION, result(sequence));
        }
        mailboxes.route(DESTINATION, Wakeup.RELEASED);
    }

    private void awaitDelivered(long sequence) {
        soon().until(() -> cursors.position(DESTINATION, LeaseRole.EGRESS) == sequence);
    }

    private static String batched(String onFailure, int maxMessages) {
        return """
                {"type":"HTTP","url":"http://127.0.0.1:9/in","maxBatch":100,"onFailure":"%s",\
                "delivery":{"mode":"BATCH","maxMessages":%d}}""".formatted(onFailure, maxMessages);
    }

    private List<Long> accepted() {
        return receiver.acceptedSequences(DESTINATION);
    }

    private static TransformResult result(long sequence) {
        return new TransformResult(sequence, UUID.nameUUIDFromBytes((DESTINATION + sequence).getBytes()), true,
                "text/plain", ("t-" + sequence).getBytes(StandardCharsets.UTF_8), "", 1, 0);
    }

    private static TransformResult failed(long sequence) {
        return new TransformResult(sequence, UUID.nameUUIDFromBytes((DESTINATION + sequence).getBytes()), false,
                "text/plain", new byte[0], "always fails", 3, 0);
    }

    /** A leader running on its own thread, as the lease keeper runs it. */
    private record Running(EgressLeader leader, FutureTask<Void> task) {

        /** How the leader ended, waiting for it; null when it returned. */
        Throwable failure() throws InterruptedException, TimeoutException {
            try {
                task.get(SOON.toMillis(), TimeUnit.MILLISECONDS);
                return null;
            } catch (ExecutionException e) {
                return e.getCause();
            }
        }

        /** Asks the leader to stop, as the lease keeper does when it gives the lease up, and waits for it. */
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
