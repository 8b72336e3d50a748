package org.reseq.worker.consume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.reseq.model.redis.WorkItem;
import org.reseq.worker.consume.FairScheduler.Limits;

class FairSchedulerTests {

    private int nextId;

    @Test
    void aLoneDestinationMayUseEverySlot() {
        FairScheduler scheduler = new FairScheduler(new Limits(4, 4, 100, 1_000_000));
        for (int i = 0; i < 6; i++) {
            scheduler.hold(entry("a", 10));
        }

        assertThat(startAll(scheduler)).hasSize(4);
        assertThat(scheduler.running()).isEqualTo(4);
        assertThat(scheduler.held()).isEqualTo(2);
    }

    @Test
    void aDestinationThatArrivesLaterGetsTheNextFreedSlotsUntilItHasItsShare() {
        FairScheduler scheduler = new FairScheduler(new Limits(4, 4, 100, 1_000_000));
        List<WorkEntry> slow = List.of(entry("slow", 10), entry("slow", 10), entry("slow", 10), entry("slow", 10),
                entry("slow", 10), entry("slow", 10));
        slow.forEach(scheduler::hold);
        startAll(scheduler);
        WorkEntry quick1 = entry("quick", 10);
        WorkEntry quick2 = entry("quick", 10);
        WorkEntry quick3 = entry("quick", 10);
        List.of(quick1, quick2, quick3).forEach(scheduler::hold);

        // Two destinations with work: two slots each. Slow runs four and keeps them, but gets no new one.
        assertThat(scheduler.share()).isEqualTo(2);
        assertThat(scheduler.nextToStart()).isNull();
        scheduler.finished(slow.get(0));
        assertThat(startAll(scheduler)).containsExactly(quick1);
        scheduler.finished(slow.get(1));
        assertThat(startAll(scheduler)).containsExactly(quick2);
        scheduler.finished(slow.get(2));
        assertThat(startAll(scheduler)).containsExactly(slow.get(4));
    }

    @Test
    void heldEntriesStartRoundRobinAcrossDestinationsEachInTheOrderRead() {
        FairScheduler scheduler = new FairScheduler(new Limits(6, 6, 100, 1_000_000));
        List<WorkEntry> a = List.of(entry("a", 1), entry("a", 1), entry("a", 1));
        List<WorkEntry> b = List.of(entry("b", 1), entry("b", 1), entry("b", 1));
        List<WorkEntry> c = List.of(entry("c", 1), entry("c", 1), entry("c", 1));
        a.forEach(scheduler::hold);
        b.forEach(scheduler::hold);
        c.forEach(scheduler::hold);

        assertThat(startAll(scheduler)).containsExactly(a.get(0), b.get(0), c.get(0), a.get(1), b.get(1), c.get(1));
    }

    @Test
    void theShareIsAnEvenSplitRoundedUpAmongDestinationsWithWork() {
        FairScheduler scheduler = new FairScheduler(new Limits(10, 10, 100, 1_000_000));
        assertThat(scheduler.share()).isEqualTo(10);

        scheduler.hold(entry("a", 1));
        scheduler.hold(entry("b", 1));
        scheduler.hold(entry("c", 1));

        assertThat(scheduler.share()).isEqualTo(4);
    }

    @Test
    void theShareIsAtLeastOneSlotWhenDestinationsOutnumberSlots() {
        FairScheduler scheduler = new FairScheduler(new Limits(2, 2, 100, 1_000_000));
        List.of("a", "b", "c", "d").forEach(destination -> scheduler.hold(entry(destination, 1)));

        assertThat(scheduler.share()).isEqualTo(1);
        assertThat(startAll(scheduler)).extracting(WorkEntry::destination).containsExactly("a", "b");
    }

    @Test
    void theShareCapLeavesSlotsFreeForOtherDestinations() {
        FairScheduler scheduler = new FairScheduler(new Limits(4, Limits.shareCap(0.5, 4), 100, 1_000_000));
        for (int i = 0; i < 4; i++) {
            scheduler.hold(entry("a", 1));
        }

        assertThat(startAll(scheduler)).hasSize(2);
        WorkEntry other = entry("b", 1);
        scheduler.hold(other);
        assertThat(startAll(scheduler)).containsExactly(other);
    }

    @Test
    void aShareCapIsRoundedDownToAtLeastOneSlot() {
        assertThat(Limits.shareCap(0.5, 3)).isEqualTo(1);
        assertThat(Limits.shareCap(0.001, 10)).isEqualTo(1);
        assertThat(Limits.shareCap(1.0, 4000)).isEqualTo(4000);
        assertThat(Limits.shareCap(0.25, 4000)).isEqualTo(1000);
    }

    @Test
    void readingStopsWhenHeldAndRunningReachTheCountLimit() {
        FairScheduler scheduler = new FairScheduler(new Limits(2, 2, 3, 1_000_000));
        assertThat(scheduler.readRoom(100)).isEqualTo(5);
        assertThat(scheduler.readRoom(4)).isEqualTo(4);

        for (int i = 0; i < 5; i++) {
            scheduler.hold(entry("a", 1));
        }
        List<WorkEntry> started = startAll(scheduler);

        assertThat(scheduler.readRoom(100)).isZero();
        scheduler.finished(started.getFirst());
        assertThat(scheduler.readRoom(100)).isEqualTo(1);
    }

    @Test
    void readingStopsWhileTheByteBudgetIsUsedUp() {
        FairScheduler scheduler = new FairScheduler(new Limits(10, 10, 100, 1_000));
        WorkEntry first = entry("a", 600);
        scheduler.hold(first);
        assertThat(scheduler.readRoom(100)).isEqualTo(100);

        scheduler.hold(entry("a", 400));
        assertThat(scheduler.bytes()).isEqualTo(1_000);
        assertThat(scheduler.readRoom(100)).isZero();

        startAll(scheduler);
        scheduler.finished(first);
        assertThat(scheduler.bytes()).isEqualTo(400);
        assertThat(scheduler.readRoom(1_000)).isEqualTo(10 + 100 - 1);
    }

    @Test
    void anEntryLargerThanTheWholeBudgetIsReadAndRunsWithNothingMoreRead() {
        FairScheduler scheduler = new FairScheduler(new Limits(10, 10, 100, 1_000));
        WorkEntry huge = entry("a", 5_000);

        scheduler.hold(huge);

        assertThat(scheduler.readRoom(100)).isZero();
        assertThat(startAll(scheduler)).containsExactly(huge);
        scheduler.finished(huge);
        assertThat(scheduler.bytes()).isZero();
        assertThat(scheduler.readRoom(100)).isEqualTo(100);
    }

    @Test
    void releasingHeldEntriesKeepsTheRunningOnes() {
        FairScheduler scheduler = new FairScheduler(new Limits(1, 1, 10, 1_000_000));
        WorkEntry running = entry("a", 10);
        WorkEntry held1 = entry("a", 20);
        WorkEntry held2 = entry("b", 30);
        List.of(running, held1, held2).forEach(scheduler::hold);
        startAll(scheduler);

        assertThat(scheduler.releaseHeld()).containsExactlyInAnyOrder(held1, held2);

        assertThat(scheduler.held()).isZero();
        assertThat(scheduler.isHeld(held1.id())).isFalse();
        assertThat(scheduler.bytes()).isEqualTo(10);
        assertThat(scheduler.share()).isEqualTo(1);
        scheduler.finished(running);
        assertThat(scheduler.nextToStart()).isNull();
        assertThat(scheduler.bytes()).isZero();
    }

    @Test
    void anEntryIsHeldOnlyOnceAndFinishesOnlyWhenStarted() {
        FairScheduler scheduler = new FairScheduler(new Limits(1, 1, 10, 1_000_000));
        WorkEntry entry = entry("a", 1);
        scheduler.hold(entry);

        assertThatThrownBy(() -> scheduler.hold(entry)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> scheduler.finished(entry)).isInstanceOf(IllegalArgumentException.class);
        assertThat(scheduler.isHeld(entry.id())).isTrue();
        assertThat(scheduler.heldIds()).containsExactly(entry.id());
    }

    /**
     * Whatever is read and whenever entries end: no start exceeds the slots or the destination's
     * share, no free slot is left to a destination under its share that has held entries, each
     * destination's entries start in the order read, the bounds hold, and once everything ends
     * every entry read has run exactly once.
     */
    @Property(tries = 500)
    void schedulesFairlyWithinItsBoundsAndRunsEverythingOnce(@ForAll("limits") Limits limits,
            @ForAll("steps") List<Step> steps) {
        FairScheduler scheduler = new FairScheduler(limits);
        Model model = new Model();
        for (Step step : steps) {
            if (step.read()) {
                int room = scheduler.readRoom(step.count());
                if (room > 0) {
                    assertThat(scheduler.bytes()).isLessThan(limits.maxBytes());
                }
                for (int i = 0; i < room; i++) {
                    WorkEntry entry = entry("d" + step.destination(), step.bytes());
                    scheduler.hold(entry);
                    model.held(entry);
                }
                assertThat(scheduler.running() + scheduler.held())
                        .isLessThanOrEqualTo(limits.maxRunning() + limits.maxHeld());
            } else if (!model.running.isEmpty()) {
                WorkEntry ending = model.running.remove(step.pick() % model.running.size());
                scheduler.finished(ending);
            }
            startAllChecked(scheduler, limits, model);
            assertSettled(scheduler, limits, model);
        }
        while (!model.running.isEmpty()) {
            scheduler.finished(model.running.removeFirst());
            startAllChecked(scheduler, limits, model);
        }

        assertThat(model.started).containsExactlyInAnyOrderElementsOf(model.read);
        assertThat(scheduler.held()).isZero();
        assertThat(scheduler.running()).isZero();
        assertThat(scheduler.bytes()).isZero();
    }

    private static void startAllChecked(FairScheduler scheduler, Limits limits, Model model) {
        while (true) {
            int share = model.share(limits);
            assertThat(scheduler.share()).isEqualTo(share);
            WorkEntry next = scheduler.nextToStart();
            if (next == null) {
                return;
            }
            assertThat(model.runningOf(next.destination())).isLessThan(share);
            assertThat(model.running).hasSizeLessThan(limits.maxRunning());
            assertThat(next).isEqualTo(model.heldOf(next.destination()).removeFirst());
            model.running.add(next);
            model.started.add(next);
        }
    }

    private static void assertSettled(FairScheduler scheduler, Limits limits, Model model) {
        assertThat(scheduler.running()).isEqualTo(model.running.size());
        assertThat(scheduler.held()).isEqualTo(model.heldCount());
        assertThat(scheduler.bytes()).isEqualTo(model.bytes());
        if (scheduler.running() < limits.maxRunning()) {
            int share = model.share(limits);
            model.heldByDestination.forEach((destination, held) -> {
                if (!held.isEmpty()) {
                    assertThat(model.runningOf(destination)).as("running of %s, which waits", destination)
                            .isGreaterThanOrEqualTo(share);
                }
            });
        }
    }

    @Provide
    Arbitrary<Limits> limits() {
        return Combinators.combine(Arbitraries.integers().between(1, 8), Arbitraries.doubles().between(0.01, 1.0),
                Arbitraries.integers().between(0, 12), Arbitraries.longs().between(1, 3_000))
                .as((maxRunning, fraction, maxHeld, maxBytes) ->
                        new Limits(maxRunning, Limits.shareCap(fraction, maxRunning), maxHeld, maxBytes));
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Step> read = Combinators.combine(Arbitraries.integers().between(0, 4),
                Arbitraries.integers().between(1, 6), Arbitraries.longs().between(1, 1_200))
                .as((destination, count, bytes) -> new Step(true, destination, count, bytes, 0));
        Arbitrary<Step> finish = Arbitraries.integers().between(0, 1_000)
                .map(pick -> new Step(false, 0, 0, 0, pick));
        return Arbitraries.oneOf(read, finish).list().ofMaxSize(120);
    }

    /** Either a read of up to {@code count} entries of one size for one destination, or one running entry ending. */
    record Step(boolean read, int destination, int count, long bytes, int pick) {
    }

    /** What the scheduler should have, kept the simple way. */
    private static final class Model {
        final List<WorkEntry> read = new ArrayList<>();
        final List<WorkEntry> started = new ArrayList<>();
        final List<WorkEntry> running = new ArrayList<>();
        final Map<String, List<WorkEntry>> heldByDestination = new HashMap<>();

        void held(WorkEntry entry) {
            read.add(entry);
            heldOf(entry.destination()).add(entry);
        }

        List<WorkEntry> heldOf(String destination) {
            return heldByDestination.computeIfAbsent(destination, d -> new ArrayList<>());
        }

        /** The slots split evenly, rounded up, among destinations with held or running entries; capped; at least 1. */
        int share(Limits limits) {
            long withWork = heldByDestination.keySet().stream()
                    .filter(destination -> !heldOf(destination).isEmpty() || runningOf(destination) > 0)
                    .count();
            int split = withWork == 0 ? limits.maxRunning()
                    : (int) ((limits.maxRunning() + withWork - 1) / withWork);
            return Math.max(1, Math.min(split, limits.shareCap()));
        }

        long runningOf(String destination) {
            return running.stream().filter(entry -> entry.destination().equals(destination)).count();
        }

        int heldCount() {
            return heldByDestination.values().stream().mapToInt(List::size).sum();
        }

        long bytes() {
            return running.stream().mapToLong(WorkEntry::bytes).sum()
                    + heldByDestination.values().stream().flatMap(List::stream).mapToLong(WorkEntry::bytes).sum();
        }
    }

    private static List<WorkEntry> startAll(FairScheduler scheduler) {
        List<WorkEntry> started = new ArrayList<>();
        for (WorkEntry next = scheduler.nextToStart(); next != null; next = scheduler.nextToStart()) {
            started.add(next);
        }
        return started;
    }

    private WorkEntry entry(String destination, long bytes) {
        int id = ++nextId;
        return new WorkEntry(id + "-0", new WorkItem(destination, 1, id, UUID.randomUUID(), "text/plain", new byte[0],
                "{}", 0), bytes);
    }
}
