package org.reseq.egress.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.LongStream;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.reseq.model.redis.TransformResult;

/**
 * The read-ahead buffer: whatever order the out stream holds results in, with repeats and second
 * copies, delivery takes every sequence after the cursor exactly once, in order; every entry read
 * is either delivered or given back for removal, never both, never neither.
 */
class ReadAheadTests {

    @Property(tries = 500)
    void deliversEverySequenceOnceInOrderWhateverTheStreamOrder(
            @ForAll @IntRange(min = 1, max = 60) int last,
            @ForAll @IntRange(min = 0, max = 10) int deliveredBefore,
            @ForAll @IntRange(min = 0, max = 30) int repeats,
            @ForAll long seed) {
        Random random = new Random(seed);
        List<Long> stream = new ArrayList<>(LongStream.rangeClosed(1, last).boxed().toList());
        for (int i = 0; i < repeats; i++) {
            stream.add(1 + (long) random.nextInt(last));
        }
        Collections.shuffle(stream, random);
        Run run = new Run(deliveredBefore, 10_000);

        run.read(stream);

        long first = Math.min(deliveredBefore, last) + 1;
        assertThat(run.delivered).containsExactlyElementsOf(LongStream.rangeClosed(first, last).boxed().toList());
        run.assertEveryEntryAccountedForOnce();
        assertThat(run.ahead.size()).isZero();
    }

    @Property(tries = 500)
    void aFullBufferKeepsTheLowestAndTheRestComesWithRewinds(
            @ForAll @IntRange(min = 1, max = 60) int last,
            @ForAll @IntRange(min = 1, max = 8) int limit,
            @ForAll long seed) {
        Random random = new Random(seed);
        List<Long> stream = new ArrayList<>(LongStream.rangeClosed(1, last).boxed().toList());
        Collections.shuffle(stream, random);
        Run run = new Run(0, limit);

        run.read(stream);
        for (int rewinds = 0; run.cursor < last && rewinds < last; rewinds++) {
            // The resequencer releases everything after the delivered cursor again, in order.
            run.read(LongStream.rangeClosed(run.cursor + 1, last).boxed().toList());
        }

        assertThat(run.delivered).containsExactlyElementsOf(LongStream.rangeClosed(1, last).boxed().toList());
        assertThat(run.largestSize).isLessThanOrEqualTo(limit);
        run.assertEveryEntryAccountedForOnce();
    }

    @Example
    void waitsAtAGapAndGoesOnWhenTheMissingOneTurnsUpLaterInTheStream() {
        ReadAhead<String> ahead = new ReadAhead<>(100, Long.MAX_VALUE);
        assertThat(ahead.offer("a", result(1), 0)).isEmpty();
        assertThat(ahead.offer("b", result(3), 0)).isEmpty();
        assertThat(ahead.next(0)).map(ReadAhead.Held::id).contains("a");
        ahead.remove(1);

        assertThat(ahead.next(1)).isEmpty();
        assertThat(ahead.lowest()).contains(3L);

        assertThat(ahead.offer("c", result(2), 1)).isEmpty();
        assertThat(ahead.next(1)).map(ReadAhead.Held::id).contains("c");
    }

    @Example
    void repeatsSecondCopiesAndOverflowAreGivenBackForRemoval() {
        ReadAhead<String> ahead = new ReadAhead<>(2, Long.MAX_VALUE);
        assertThat(ahead.offer("old", result(4), 5)).contains("old");
        assertThat(ahead.offer("x", result(8), 5)).isEmpty();
        assertThat(ahead.offer("x", result(8), 5)).as("the same entry read again").isEmpty();
        assertThat(ahead.offer("x2", result(8), 5)).as("a second copy").contains("x2");
        assertThat(ahead.offer("y", result(9), 5)).isEmpty();

        assertThat(ahead.offer("z", result(10), 5)).as("beyond a full buffer").contains("z");
        assertThat(ahead.offer("w", result(7), 5)).as("takes the place of the highest").contains("y");
        assertThat(ahead.holds("w", 7)).isTrue();
        assertThat(ahead.holds("y", 9)).isFalse();
        assertThatThrownBy(() -> new ReadAhead<String>(0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ReadAhead<String>(1, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Example
    void payloadBytesBoundWhatIsHeldAndOneLargeResultIsHeldAlone() {
        ReadAhead<String> ahead = new ReadAhead<>(100, 10);

        assertThat(ahead.offer("a", sized(3, 4), 1)).isEmpty();
        assertThat(ahead.offer("b", sized(4, 4), 1)).isEmpty();
        assertThat(ahead.offer("c", sized(5, 4), 1)).as("beyond the bytes").containsExactly("c");
        assertThat(ahead.offer("d", sized(2, 9), 1)).as("the next to deliver pushes the highest out")
                .containsExactly("b", "a");
        assertThat(ahead.bytes()).isEqualTo(9);
        ahead.remove(2);
        assertThat(ahead.offer("e", sized(6, 50), 5)).as("larger than the budget, alone").isEmpty();
        assertThat(ahead.bytes()).isEqualTo(50);
    }

    private static TransformResult sized(long sequence, int payloadBytes) {
        return new TransformResult(sequence, new UUID(0, sequence), true, "text/plain", new byte[payloadBytes], "",
                1, 0);
    }

    private static TransformResult result(long sequence) {
        return new TransformResult(sequence, new UUID(0, sequence), true, "text/plain", new byte[] {1}, "", 1, 0);
    }

    /** Feeds entries through a buffer as the leader does: read one, then deliver what is next. */
    private static final class Run {
        final ReadAhead<Integer> ahead;
        final List<Long> delivered = new ArrayList<>();
        final List<Integer> consumedIds = new ArrayList<>();
        final List<Integer> removedIds = new ArrayList<>();
        int ids;
        long cursor;
        int largestSize;

        Run(long cursor, int limit) {
            this.cursor = cursor;
            this.ahead = new ReadAhead<>(limit, Long.MAX_VALUE);
        }

        void read(List<Long> sequences) {
            for (long sequence : sequences) {
                int id = ids++;
                ahead.offer(id, result(sequence), cursor).forEach(removedIds::add);
                largestSize = Math.max(largestSize, ahead.size());
                for (Optional<ReadAhead.Held<Integer>> next = ahead.next(cursor); next.isPresent();
                        next = ahead.next(cursor)) {
                    ahead.remove(next.get().sequence());
                    consumedIds.add(next.get().id());
                    delivered.add(next.get().sequence());
                    cursor = next.get().sequence();
                }
            }
        }

        void assertEveryEntryAccountedForOnce() {
            Set<Integer> all = new HashSet<>(consumedIds);
            all.addAll(removedIds);
            assertThat(consumedIds.size() + removedIds.size()).isEqualTo(ids);
            assertThat(all).hasSize(ids);
        }
    }
}
