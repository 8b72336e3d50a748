package org.reseq.ingress.commit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GroupCommitterTests {

    private static final Duration DEADLINE = Duration.ofSeconds(10);

    private final FakeCommitter store = new FakeCommitter();
    private final List<Map<String, Long>> signals = new CopyOnWriteArrayList<>();
    private GroupCommitter committer;

    @AfterEach
    void close() throws InterruptedException {
        store.open();
        if (committer != null) {
            committer.close();
        }
    }

    @Test
    void noFutureCompletesBeforeItsBatchCommitReturned() {
        Map<UUID, CompletableFuture<CommitOutcome>> futures = new ConcurrentHashMap<>();
        Set<UUID> committed = ConcurrentHashMap.newKeySet();
        List<String> violations = new CopyOnWriteArrayList<>();
        store.beforeReturn = batch -> batch.forEach(message -> {
            if (futures.get(message.id()).isDone()) {
                violations.add(message.channel() + " was acknowledged inside its commit");
            }
            committed.add(message.id());
        });
        committer = new GroupCommitter(store, lastSequences -> {
            // Signals go out only after the acks of everything committed so far.
            committed.forEach(id -> {
                if (!futures.get(id).isDone()) {
                    violations.add(id + " was signalled before it was acknowledged");
                }
            });
            signals.add(lastSequences);
        }, 4, Duration.ZERO);
        store.hold();
        List<PendingMessage> messages = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            messages.add(message("m" + i));
        }
        futures.put(messages.getFirst().id(), committer.submit(messages.getFirst()));
        store.awaitCommitting(1);
        messages.subList(1, messages.size()).forEach(message -> futures.put(message.id(), committer.submit(message)));
        futures.forEach((id, future) -> future.whenComplete((outcome, failure) -> {
            if (!committed.contains(id)) {
                violations.add(id + " was acknowledged before its commit returned");
            }
        }));

        assertThat(futures.values()).noneMatch(CompletableFuture::isDone);
        assertThat(signals).isEmpty();

        store.open();
        futures.values().forEach(CompletableFuture::join);
        await().atMost(DEADLINE).until(() -> signals.size() == store.batches.size());
        assertThat(violations).isEmpty();
        assertThat(store.batches).hasSizeGreaterThanOrEqualTo(4);
    }

    @Test
    void aWholeBatchIsCommittedAloneInItsPlaceInTheQueue() {
        committer = new GroupCommitter(store, signals::add, 256, Duration.ofMillis(50));
        store.hold();
        PendingMessage before = message("before");
        CompletableFuture<CommitOutcome> first = committer.submit(before);
        store.awaitCommitting(1);
        PendingMessage queued = message("queued");
        List<PendingMessage> whole = List.of(message("whole-1"), message("whole-2"), message("whole-3"));
        CompletableFuture<CommitOutcome> second = committer.submit(queued);
        CompletableFuture<List<CommitOutcome>> batch = committer.submitWhole(whole);
        PendingMessage after = message("after");
        CompletableFuture<CommitOutcome> third = committer.submit(after);

        store.open();

        assertThat(batch.join()).hasSize(3).allMatch(outcome -> outcome instanceof CommitOutcome.Accepted);
        List.of(first, second, third).forEach(CompletableFuture::join);
        assertThat(store.batches).containsExactly(List.of(before), List.of(queued), whole, List.of(after));
        assertThat(batch.join()).extracting(GroupCommitterTests::sequenceOf).containsExactly(3L, 4L, 5L);
    }

    @Test
    void acksComeInTheOrderOfSequences() throws InterruptedException {
        committer = new GroupCommitter(store, signals::add, 16, Duration.ofMillis(1));
        List<Long> ackOrder = Collections.synchronizedList(new ArrayList<>());
        // Held, so that every callback below is registered before its future can complete.
        store.hold();
        CompletableFuture<CommitOutcome> first = committer.submit(message("first"));
        first.thenAccept(outcome -> ackOrder.add(sequenceOf(outcome)));
        store.awaitCommitting(1);
        int senders = 8;
        int perSender = 50;
        ExecutorService threads = Executors.newFixedThreadPool(senders);
        List<CompletableFuture<CommitOutcome>> futures = new CopyOnWriteArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        for (int s = 0; s < senders; s++) {
            threads.submit(() -> {
                start.await();
                for (int i = 0; i < perSender; i++) {
                    CompletableFuture<CommitOutcome> future = committer.submit(message("m"));
                    // Runs on the committer thread, in completion order.
                    future.thenAccept(outcome -> ackOrder.add(sequenceOf(outcome)));
                    futures.add(future);
                }
                return null;
            });
        }
        start.countDown();
        threads.shutdown();
        assertThat(threads.awaitTermination(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
        store.open();

        // No join() here: a joining thread may help run callbacks and so blur the completion order.
        int total = senders * perSender + 1;
        await().atMost(DEADLINE).until(() -> ackOrder.size() == total);
        List<Long> expected = new ArrayList<>();
        for (long sequence = 1; sequence <= total; sequence++) {
            expected.add(sequence);
        }
        assertThat(ackOrder).containsExactlyElementsOf(expected);
        assertThat(store.batches).hasSizeGreaterThan(total / 16);
    }

    @Test
    void aFailingCommitFailsExactlyItsBatchesFutures() {
        committer = new GroupCommitter(store, signals::add, 256, Duration.ZERO);
        store.hold();
        CompletableFuture<CommitOutcome> before = committer.submit(message("before"));
        store.awaitCommitting(1);
        CompletableFuture<CommitOutcome> doomed1 = committer.submit(message("doomed-1"));
        CompletableFuture<CommitOutcome> doomed2 = committer.submit(message("doomed-2"));
        store.failBatchesContaining(m -> m.channel().startsWith("doomed"));
        store.open();

        assertThat(before.join()).isInstanceOf(CommitOutcome.Accepted.class);
        assertThat(doomed1).failsWithin(DEADLINE).withThrowableThat().havingCause()
                .isInstanceOf(CommitFailedException.class);
        assertThat(doomed2).failsWithin(DEADLINE).withThrowableThat().havingCause()
                .isInstanceOf(CommitFailedException.class);
        assertThat(store.batches).hasSize(2);
        assertThat(store.batches.get(1)).extracting(PendingMessage::channel).containsExactly("doomed-1", "doomed-2");

        CompletableFuture<CommitOutcome> after = committer.submit(message("after"));
        assertThat(after.join()).isInstanceOf(CommitOutcome.Accepted.class);
        // Sequences of the failed batch were never handed out.
        assertThat(sequenceOf(after.join())).isEqualTo(2);
    }

    @Test
    void whenTheStoreCannotBeReachedWhatQueuedDuringTheAttemptFailsWithoutAnotherAttempt() {
        committer = new GroupCommitter(store, signals::add, 2, Duration.ZERO);
        store.failBatchesContaining(m -> m.channel().startsWith("down"),
                () -> new StoreUnreachableException(
                        new SQLTransientConnectionException("Connection is not available, request timed out after 2000ms")));
        store.hold();
        List<CompletableFuture<CommitOutcome>> futures = new ArrayList<>();
        futures.add(committer.submit(message("down-0")));
        store.awaitCommitting(1);
        for (int i = 1; i <= 5; i++) {
            futures.add(committer.submit(message("down-" + i)));
        }
        store.open();

        assertThat(futures).allSatisfy(future -> assertThat(future).failsWithin(DEADLINE).withThrowableThat()
                .havingCause().isInstanceOf(CommitFailedException.class));
        assertThat(store.batches).hasSize(1);

        // The next message gets an attempt of its own: that is how ingest finds the store back.
        store.failBatchesContaining(m -> false);
        assertThat(committer.submit(message("up")).join()).isInstanceOf(CommitOutcome.Accepted.class);
    }

    @Test
    void aFailureOfTheWorkItselfLeavesTheQueuedMessagesTheirOwnAttempt() {
        committer = new GroupCommitter(store, signals::add, 256, Duration.ZERO);
        store.failBatchesContaining(m -> m.channel().equals("bad"),
                () -> new SQLException("value too long", "22001"));
        store.hold();
        CompletableFuture<CommitOutcome> bad = committer.submit(message("bad"));
        store.awaitCommitting(1);
        CompletableFuture<CommitOutcome> good = committer.submit(message("good"));
        store.open();

        assertThat(bad).failsWithin(DEADLINE);
        assertThat(good.join()).isInstanceOf(CommitOutcome.Accepted.class);
        assertThat(store.batches).hasSize(2);
    }

    @Test
    void batchesRespectMaxBatch() {
        committer = new GroupCommitter(store, signals::add, 5, Duration.ofMillis(50));
        store.hold();
        List<CompletableFuture<CommitOutcome>> futures = new ArrayList<>();
        futures.add(committer.submit(message("first")));
        store.awaitCommitting(1);
        for (int i = 0; i < 23; i++) {
            futures.add(committer.submit(message("m" + i)));
        }
        store.open();
        futures.forEach(CompletableFuture::join);

        assertThat(store.batches).allSatisfy(batch -> assertThat(batch).hasSizeBetween(1, 5));
        assertThat(store.batches.stream().mapToInt(List::size).sum()).isEqualTo(24);
        // Queued messages were grouped: 23 waiting messages need at least five full batches.
        assertThat(store.batches.subList(1, store.batches.size())).hasSize(5);
    }

    @Test
    void aLoneMessageIsCommittedWithoutLingering() {
        committer = new GroupCommitter(store, signals::add, 256, Duration.ofSeconds(30));

        CompletableFuture<CommitOutcome> lone = committer.submit(message("lone"));

        assertThat(lone).succeedsWithin(Duration.ofSeconds(5));
    }

    @Test
    void closingCommitsWhatIsQueuedAndRefusesNewMessages() throws InterruptedException {
        committer = new GroupCommitter(store, signals::add, 256, Duration.ZERO);
        store.hold();
        CompletableFuture<CommitOutcome> first = committer.submit(message("first"));
        store.awaitCommitting(1);
        CompletableFuture<CommitOutcome> queued = committer.submit(message("queued"));
        Thread closer = Thread.ofVirtual().start(() -> {
            try {
                committer.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        await().atMost(DEADLINE).until(() -> committer.submit(message("late")).isCompletedExceptionally());
        store.open();
        closer.join(DEADLINE.toMillis());

        assertThat(first).isCompleted();
        assertThat(queued.join()).isInstanceOf(CommitOutcome.Accepted.class);
        assertThat(committer.submit(message("later"))).isCompletedExceptionally();
    }

    @Test
    void theDirectCommitterCommitsEachMessageAlone() {
        DirectCommitter direct = new DirectCommitter(store, signals::add);

        CommitOutcome outcome = direct.submit(message("a")).join();
        direct.submit(message("b")).join();

        assertThat(outcome).isInstanceOf(CommitOutcome.Accepted.class);
        assertThat(store.batches).hasSize(2).allSatisfy(batch -> assertThat(batch).hasSize(1));
        assertThat(signals).hasSize(2);
    }

    @Test
    void aFailingDirectCommitFailsItsFuture() {
        DirectCommitter direct = new DirectCommitter(store, signals::add);
        store.failBatchesContaining(m -> true);

        assertThat(direct.submit(message("a"))).isCompletedExceptionally();
        assertThat(signals).isEmpty();
    }

    private static PendingMessage message(String channel) {
        return new PendingMessage(UUID.randomUUID(), channel, "text/plain", new byte[] {1}, Instant.EPOCH, null);
    }

    private static long sequenceOf(CommitOutcome outcome) {
        return ((CommitOutcome.Accepted) outcome).receipt().deliveries().getFirst().sequence();
    }

    /**
     * Stands in for PostgreSQL where no invariant of the store is under test: hands out dense
     * sequences of one destination per batch, can be held (to queue messages) and made to fail.
     */
    private static final class FakeCommitter implements BatchCommitter {

        final List<List<PendingMessage>> batches = new CopyOnWriteArrayList<>();
        volatile Consumer<List<PendingMessage>> beforeReturn = batch -> {
        };
        private final AtomicInteger committing = new AtomicInteger();
        private volatile CountDownLatch gate = new CountDownLatch(0);
        private volatile Predicate<PendingMessage> failing = m -> false;
        private volatile Supplier<Exception> failure = () -> new java.sql.SQLException("Simulated commit failure");
        private long lastSequence;

        void hold() {
            gate = new CountDownLatch(1);
        }

        void open() {
            gate.countDown();
        }

        void awaitCommitting(int count) {
            await().atMost(DEADLINE).until(() -> committing.get() >= count);
        }

        void failBatchesContaining(Predicate<PendingMessage> predicate) {
            failing = predicate;
        }

        void failBatchesContaining(Predicate<PendingMessage> predicate, Supplier<Exception> with) {
            failure = with;
            failing = predicate;
        }

        @Override
        public CommittedBatch commit(List<PendingMessage> batch) throws Exception {
            committing.incrementAndGet();
            if (!gate.await(DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException("Held too long");
            }
            batches.add(List.copyOf(batch));
            if (batch.stream().anyMatch(failing)) {
                throw failure.get();
            }
            List<CommitOutcome> outcomes = new ArrayList<>();
            for (PendingMessage message : batch) {
                lastSequence++;
                outcomes.add(new CommitOutcome.Accepted(new Receipt(message.id(), message.channel(),
                        List.of(new Receipt.Delivery("d", lastSequence)))));
            }
            CommittedBatch committed = new CommittedBatch(outcomes, new HashMap<>(Map.of("d", lastSequence)));
            beforeReturn.accept(batch);
            return committed;
        }

        /** Every message of this store is accepted, so a whole batch is never refused here. */
        @Override
        public CommittedBatch commitWhole(List<PendingMessage> batch) throws Exception {
            return commit(batch);
        }
    }
}
