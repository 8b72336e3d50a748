package org.reseq.resequencer.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/**
 * The resequencing decision: whatever order results finish in, and however they are batched,
 * planning and applying runs releases 1..N exactly once each, in order, never past a failed or
 * missing head; failures marked passable (dead letters) go out in their place, in order.
 */
class ReleasePlannerTests {

    @Property(tries = 500)
    void releasesEverySequenceExactlyOnceInOrderUnderAnyInterleaving(@ForAll("completions") Completions completions) {
        List<Long> released = new Resequencer(completions.maxBatch(), completions.prune())
                .deliver(completions.chunks(completions.order()));

        assertThat(released).containsExactlyElementsOf(oneTo(completions.order().size()));
    }

    @Property(tries = 500)
    void duplicatesInTheInputChangeNothing(@ForAll("completions") Completions completions) {
        List<Long> withoutRepeats = new Resequencer(completions.maxBatch(), completions.prune())
                .deliver(completions.chunks(completions.order()));
        Resequencer withRepeats = new Resequencer(completions.maxBatch(), completions.prune());

        List<Long> released = withRepeats.deliver(completions.chunks(completions.withRepeats()));

        assertThat(released).isEqualTo(withoutRepeats).containsExactlyElementsOf(oneTo(completions.order().size()));
    }

    @Property(tries = 500)
    void nothingIsReleasedPastAFailedSequence(@ForAll("completions") Completions completions,
                                              @ForAll @IntRange(min = 0, max = 1000) int failurePick) {
        int n = completions.order().size();
        if (n == 0) {
            return;
        }
        long failure = 1 + failurePick % n;
        Resequencer resequencer = new Resequencer(completions.maxBatch(), completions.prune());
        resequencer.failed.add(failure);

        List<Long> released = resequencer.deliver(completions.chunks(completions.order().stream()
                .filter(sequence -> sequence != failure).toList()));

        assertThat(released).containsExactlyElementsOf(oneTo((int) failure - 1));
        assertThat(resequencer.plan().headFailed()).isTrue();
    }

    @Property(tries = 500)
    void passableFailuresGoOutInTheirPlaceExactlyOnceInOrder(@ForAll("completions") Completions completions,
                                                              @ForAll @Size(max = 30) Set<@IntRange(min = 0,
                                                                      max = 1000) Integer> failurePicks) {
        int n = completions.order().size();
        Resequencer resequencer = new Resequencer(completions.maxBatch(), completions.prune());
        failurePicks.stream().filter(pick -> n > 0).forEach(pick -> resequencer.failing.add(1L + pick % n));
        resequencer.passing.addAll(resequencer.failing);

        List<Long> released = resequencer.deliver(completions.chunks(completions.order()));

        assertThat(released).containsExactlyElementsOf(oneTo(n));
    }

    @Property(tries = 500)
    void nothingIsReleasedPastAFailureThatIsNotPassable(@ForAll("completions") Completions completions,
                                                        @ForAll @IntRange(min = 0, max = 1000) int blockerPick,
                                                        @ForAll @Size(max = 30) Set<@IntRange(min = 0,
                                                                max = 1000) Integer> passablePicks) {
        int n = completions.order().size();
        if (n == 0) {
            return;
        }
        long blocker = 1 + blockerPick % n;
        Resequencer resequencer = new Resequencer(completions.maxBatch(), completions.prune());
        passablePicks.stream().map(pick -> 1L + pick % n).filter(sequence -> sequence != blocker)
                .forEach(resequencer.failing::add);
        resequencer.passing.addAll(resequencer.failing);
        resequencer.failing.add(blocker);

        List<Long> released = resequencer.deliver(completions.chunks(completions.order()));

        assertThat(released).containsExactlyElementsOf(oneTo((int) blocker - 1));
        assertThat(resequencer.plan().headFailed()).isTrue();
        resequencer.passing.add(blocker); // then it is dead-lettered: the rest follows, in order
        resequencer.deliver(List.of());
        assertThat(released).containsExactlyElementsOf(oneTo(n));
    }

    @Property(tries = 1000)
    void aPlanReleasesOnlySuccessesAndPassableFailures(
            @ForAll @Size(max = 60) Set<@LongRange(min = 1, max = 60) Long> succeeded,
            @ForAll @Size(max = 20) Set<@LongRange(min = 1, max = 60) Long> failed,
            @ForAll @Size(max = 20) Set<@LongRange(min = 1, max = 60) Long> passable,
            @ForAll @LongRange(min = 0, max = 60) long cursor,
            @ForAll @IntRange(min = 1, max = 25) int maxBatch) {
        ReleasePlan plan = ReleasePlanner.plan(cursor, succeeded, failed, passable, maxBatch);

        assertThat(plan.released()).isEqualTo(cursor);
        assertThat(plan.count()).isBetween(0, maxBatch);
        assertThat(plan.headFailed()).isEqualTo(failed.contains(cursor + 1) && !passable.contains(cursor + 1));
        for (long sequence = plan.first(); sequence <= plan.last(); sequence++) {
            assertThat(failed.contains(sequence) ? passable.contains(sequence) : succeeded.contains(sequence))
                    .as("#%d may go out", sequence).isTrue();
        }
        long next = plan.last() + 1;
        boolean nextGoes = failed.contains(next) ? passable.contains(next) : succeeded.contains(next);
        assertThat(plan.count() == maxBatch || !nextGoes).as("the run is as long as allowed").isTrue();
    }

    @Property(tries = 500)
    void passableSequencesWithoutAFailureChangeNothing(
            @ForAll @Size(max = 60) Set<@LongRange(min = 1, max = 60) Long> succeeded,
            @ForAll @Size(max = 10) Set<@LongRange(min = 1, max = 60) Long> failed,
            @ForAll @Size(max = 20) Set<@LongRange(min = 1, max = 60) Long> passable,
            @ForAll @LongRange(min = 0, max = 60) long cursor,
            @ForAll @IntRange(min = 1, max = 25) int maxBatch) {
        Set<Long> notFailed = new HashSet<>(passable);
        notFailed.removeAll(failed);

        assertThat(ReleasePlanner.plan(cursor, succeeded, failed, notFailed, maxBatch))
                .isEqualTo(ReleasePlanner.plan(cursor, succeeded, failed, maxBatch));
    }

    @Property(tries = 1000)
    void aPlanIsTheLongestSuccessfulRunAfterTheCursorCutAtMaxBatch(
            @ForAll @Size(max = 60) Set<@LongRange(min = 1, max = 60) Long> succeeded,
            @ForAll @Size(max = 10) Set<@LongRange(min = 1, max = 60) Long> failed,
            @ForAll @LongRange(min = 0, max = 60) long cursor,
            @ForAll @IntRange(min = 1, max = 25) int maxBatch) {
        ReleasePlan plan = ReleasePlanner.plan(cursor, succeeded, failed, maxBatch);

        assertThat(plan.released()).isEqualTo(cursor);
        assertThat(plan.count()).isBetween(0, maxBatch);
        assertThat(plan.headFailed()).isEqualTo(failed.contains(cursor + 1));
        for (long sequence = plan.first(); sequence <= plan.last(); sequence++) {
            assertThat(succeeded).contains(sequence);
            assertThat(failed).doesNotContain(sequence);
        }
        long next = plan.last() + 1;
        boolean runEnds = plan.count() == maxBatch || !succeeded.contains(next) || failed.contains(next);
        assertThat(runEnds).as("the run is as long as allowed").isTrue();
    }

    @Property(tries = 500)
    void resultsAtOrBelowTheCursorChangeNothing(
            @ForAll @Size(max = 40) Set<@LongRange(min = 1, max = 80) Long> succeeded,
            @ForAll @Size(max = 40) Set<@LongRange(min = 1, max = 80) Long> stale,
            @ForAll @LongRange(min = 0, max = 80) long cursor,
            @ForAll @IntRange(min = 1, max = 25) int maxBatch) {
        Set<Long> withStale = new HashSet<>(succeeded);
        stale.stream().filter(sequence -> sequence <= cursor).forEach(withStale::add);
        Set<Long> failedStale = new HashSet<>();
        stale.stream().filter(sequence -> sequence <= cursor).forEach(failedStale::add);

        assertThat(ReleasePlanner.plan(cursor, withStale, failedStale, maxBatch))
                .isEqualTo(ReleasePlanner.plan(cursor, succeeded, Set.of(), maxBatch));
    }

    @Example
    void releasesOnlyTheContiguousPrefix() {
        ReleasePlan plan = ReleasePlanner.plan(4, Set.of(5L, 6L, 8L, 9L), Set.of(), 100);

        assertThat(plan).isEqualTo(new ReleasePlan(4, 2, false));
        assertThat(plan.first()).isEqualTo(5);
        assertThat(plan.last()).isEqualTo(6);
    }

    @Example
    void releasesNothingWhileTheHeadIsMissing() {
        ReleasePlan plan = ReleasePlanner.plan(4, Set.of(6L, 7L), Set.of(), 100);

        assertThat(plan.isEmpty()).isTrue();
        assertThat(plan.headFailed()).isFalse();
    }

    @Example
    void aFailedHeadBlocksTheLine() {
        assertThat(ReleasePlanner.plan(4, Set.of(6L, 7L), Set.of(5L), 100)).isEqualTo(new ReleasePlan(4, 0, true));
    }

    @Example
    void aFailureAfterTheHeadEndsTheRunThere() {
        assertThat(ReleasePlanner.plan(0, Set.of(1L, 2L, 3L, 4L), Set.of(3L), 100))
                .isEqualTo(new ReleasePlan(0, 2, false));
    }

    @Example
    void aSequenceReportedBothWaysCountsAsFailed() {
        assertThat(ReleasePlanner.plan(0, Set.of(1L), Set.of(1L), 100).headFailed()).isTrue();
    }

    @Example
    void aPassableFailedHeadGoesOutWithTheRunBehindIt() {
        assertThat(ReleasePlanner.plan(4, Set.of(6L, 7L), Set.of(5L), Set.of(5L), 100))
                .isEqualTo(new ReleasePlan(4, 3, false));
    }

    @Example
    void aFailureThatIsNotPassableStillEndsTheRun() {
        assertThat(ReleasePlanner.plan(0, Set.of(1L, 3L, 4L), Set.of(2L, 3L), Set.of(2L), 100))
                .isEqualTo(new ReleasePlan(0, 2, false));
    }

    @Example
    void cutsTheRunAtMaxBatch() {
        assertThat(ReleasePlanner.plan(10, Set.of(11L, 12L, 13L), Set.of(), 2)).isEqualTo(new ReleasePlan(10, 2, false));
    }

    @Example
    void rejectsNonsense() {
        assertThatThrownBy(() -> ReleasePlanner.plan(0, Set.of(), Set.of(), 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ReleasePlanner.plan(-1, Set.of(), Set.of(), 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Provide
    Arbitrary<Completions> completions() {
        return Arbitraries.integers().between(0, 300).flatMap(n -> Combinators.combine(
                Arbitraries.shuffle(oneTo(n)),
                Arbitraries.integers().between(1, 40).list().ofMinSize(1).ofMaxSize(20),
                Arbitraries.integers().between(1, 30),
                Arbitraries.integers().between(0, Integer.MAX_VALUE).list().ofMaxSize(n),
                Arbitraries.of(true, false)).as(Completions::new));
    }

    private static List<Long> oneTo(int n) {
        return LongStream.rangeClosed(1, n).boxed().toList();
    }

    /**
     * Results finishing in {@code order}, arriving in chunks of {@code chunkSizes} (used round-robin).
     *
     * @param repeats picks, per position, an earlier (possibly already released) result to report again
     * @param prune whether the caller forgets released results (the planner must not need it to)
     */
    record Completions(List<Long> order, List<Integer> chunkSizes, int maxBatch, List<Integer> repeats,
                       boolean prune) {

        List<List<Long>> chunks(List<Long> stream) {
            List<List<Long>> chunks = new ArrayList<>();
            int at = 0;
            for (int i = 0; at < stream.size(); i++) {
                int size = chunkSizes.get(i % chunkSizes.size());
                chunks.add(stream.subList(at, Math.min(stream.size(), at + size)));
                at += size;
            }
            return chunks;
        }

        List<Long> withRepeats() {
            List<Long> stream = new ArrayList<>();
            for (int i = 0; i < order.size(); i++) {
                stream.add(order.get(i));
                if (i < repeats.size()) {
                    stream.add(order.get(repeats.get(i) % (i + 1)));
                }
            }
            return stream;
        }
    }

    /** Plays the leader: records completions, plans and applies every run, checking each batch. */
    private static final class Resequencer {
        private final int maxBatch;
        private final boolean prune;
        private final Set<Long> succeeded = new HashSet<>();
        private final Set<Long> failed = new HashSet<>();
        /** Sequences whose transform fails for good when they complete. */
        private final Set<Long> failing = new HashSet<>();
        /** Failed sequences that are dead letters: they may go out in their place. */
        private final Set<Long> passing = new HashSet<>();
        private final List<Long> released = new ArrayList<>();
        private long cursor;

        Resequencer(int maxBatch, boolean prune) {
            this.maxBatch = maxBatch;
            this.prune = prune;
        }

        ReleasePlan plan() {
            return ReleasePlanner.plan(cursor, succeeded, failed, passing, maxBatch);
        }

        List<Long> deliver(List<List<Long>> chunks) {
            List<List<Long>> rounds = new ArrayList<>(chunks);
            rounds.add(List.of()); // one more look, with nothing new
            for (List<Long> chunk : rounds) {
                chunk.forEach(sequence -> (failing.contains(sequence) ? failed : succeeded).add(sequence));
                for (ReleasePlan plan = plan(); !plan.isEmpty(); plan = plan()) {
                    assertThat(plan.count()).isLessThanOrEqualTo(maxBatch);
                    assertThat(plan.first()).isEqualTo(cursor + 1);
                    for (long sequence = plan.first(); sequence <= plan.last(); sequence++) {
                        assertThat(failed.contains(sequence) ? passing.contains(sequence) : succeeded.contains(sequence))
                                .as("only finished results go out, failures only as dead letters").isTrue();
                        assertThat(released).as("never twice").doesNotContain(sequence);
                        released.add(sequence);
                        if (prune) {
                            succeeded.remove(sequence);
                            failed.remove(sequence);
                        }
                    }
                    cursor = plan.last();
                }
            }
            return released;
        }
    }
}
