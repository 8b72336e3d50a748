package org.reseq.worker.consume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.reseq.model.redis.WorkItem;

class InFlightItemsTests {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    /** Each entry's thread runs until its latch is released. */
    private final Map<String, CountDownLatch> finish = new ConcurrentHashMap<>();
    private final List<String> started = new CopyOnWriteArrayList<>();
    private final Set<String> interrupted = ConcurrentHashMap.newKeySet();
    private final InFlightItems items = new InFlightItems(new FairScheduler.Limits(2, 2, 2, 1_000),
            this::runUntilReleased, new WorkerMetrics(registry));

    @AfterEach
    void releaseAll() {
        finish.values().forEach(CountDownLatch::countDown);
    }

    @Test
    void anEntryStartsAtOnceWhileASlotIsFree() {
        assertThat(items.accept(entry("1-0", "a", 10))).isTrue();

        await().atMost(WAIT).until(() -> started.contains("1-0"));
        assertThat(items.holds("1-0")).isTrue();
        assertThat(registry.get("reseq.worker.in-flight").gauge().value()).isEqualTo(1);
        assertThat(registry.get("reseq.worker.work.bytes").gauge().value()).isEqualTo(10);
    }

    @Test
    void anEntryOverItsDestinationsShareWaitsAndTheNextFreedSlotGoesToAnotherDestination() {
        items.accept(entry("1-0", "slow", 10));
        items.accept(entry("2-0", "slow", 10));
        items.accept(entry("3-0", "slow", 10));
        items.accept(entry("4-0", "quick", 10));
        await().atMost(WAIT).until(() -> started.size() == 2);
        assertThat(registry.get("reseq.worker.held").gauge().value()).isEqualTo(2);

        release("1-0");

        await().atMost(WAIT).until(() -> started.contains("4-0"));
        assertThat(started).containsExactlyInAnyOrder("1-0", "2-0", "4-0");
        assertThat(items.holds("1-0")).isFalse();
        assertThat(items.holds("3-0")).isTrue();
    }

    @Test
    void heldEntriesAreClaimedLikeRunningOnes() {
        items.accept(entry("1-0", "a", 10));
        items.accept(entry("2-0", "a", 10));
        items.accept(entry("3-0", "a", 10));

        assertThat(items.claimedIds()).containsExactlyInAnyOrder("1-0", "2-0", "3-0");
    }

    @Test
    void anEntryHereAlreadyIsNotTakenAgain() {
        items.accept(entry("1-0", "a", 10));

        assertThat(items.accept(entry("1-0", "a", 10))).isFalse();
        assertThat(registry.get("reseq.worker.work.bytes").gauge().value()).isEqualTo(10);
    }

    @Test
    void readRoomFreesUpWhenAnEntryEnds() throws Exception {
        for (int i = 1; i <= 4; i++) {
            items.accept(entry(i + "-0", "a", 10));
        }
        assertThat(items.awaitReadRoom(100, Duration.ofMillis(20))).isZero();

        release("1-0");

        assertThat(items.awaitReadRoom(100, WAIT)).isEqualTo(1);
    }

    @Test
    void readRoomWaitsWhileTheByteBudgetIsUsedUp() throws Exception {
        items.accept(entry("1-0", "a", 1_500));
        assertThat(items.awaitReadRoom(100, Duration.ofMillis(20))).isZero();

        release("1-0");

        assertThat(items.awaitReadRoom(100, WAIT)).isEqualTo(4);
    }

    @Test
    void leavingHeldEntriesStopsStartingAndNoLongerClaimsThem() throws Exception {
        for (int i = 1; i <= 4; i++) {
            items.accept(entry(i + "-0", "a", 10));
        }

        assertThat(items.leaveHeld()).isEqualTo(2);
        assertThat(items.claimedIds()).containsExactlyInAnyOrder("1-0", "2-0");
        release("1-0");
        release("2-0");

        assertThat(items.awaitIdle(WAIT)).isTrue();
        assertThat(started).containsExactlyInAnyOrder("1-0", "2-0");
        assertThat(items.claimedIds()).isEmpty();
        assertThat(registry.get("reseq.worker.held").gauge().value()).isZero();
    }

    @Test
    void shutdownWaitsForItemsThenInterruptsTheRest() throws Exception {
        items.accept(entry("1-0", "a", 10));
        await().atMost(WAIT).until(() -> started.contains("1-0"));

        assertThat(items.awaitIdle(Duration.ofMillis(50))).isFalse();
        assertThat(items.interruptAll()).isEqualTo(1);

        assertThat(items.awaitIdle(WAIT)).isTrue();
        assertThat(interrupted).containsExactly("1-0");
        assertThat(registry.get("reseq.worker.in-flight").gauge().value()).isZero();
        assertThat(registry.get("reseq.worker.in-flight.peak").gauge().value()).isEqualTo(1);
    }

    @Test
    void aFailingItemStillFreesItsSlot() throws Exception {
        InFlightItems failing = new InFlightItems(new FairScheduler.Limits(1, 1, 0, 1_000), entry -> {
            throw new IllegalStateException("Redis is down");
        }, new WorkerMetrics(new SimpleMeterRegistry()));

        failing.accept(entry("1-0", "a", 10));

        assertThat(failing.awaitIdle(WAIT)).isTrue();
        assertThat(failing.awaitReadRoom(10, WAIT)).isEqualTo(1);
    }

    private void runUntilReleased(WorkEntry entry) throws InterruptedException {
        started.add(entry.id());
        try {
            latch(entry.id()).await();
        } catch (InterruptedException e) {
            interrupted.add(entry.id());
            throw e;
        }
    }

    private void release(String id) {
        latch(id).countDown();
    }

    private CountDownLatch latch(String id) {
        return finish.computeIfAbsent(id, key -> new CountDownLatch(1));
    }

    private static WorkEntry entry(String id, String destination, long bytes) {
        return new WorkEntry(id, new WorkItem(destination, 1, 1, UUID.randomUUID(), "text/plain", new byte[0], "{}", 0),
                bytes);
    }
}
