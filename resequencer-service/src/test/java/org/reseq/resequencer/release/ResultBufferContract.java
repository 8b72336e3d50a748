package org.reseq.resequencer.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.reseq.model.lease.Lease;
import org.reseq.model.lease.LeaseLostException;
import org.reseq.model.lease.LeaseRole;
import org.reseq.model.lease.LeaseTerm;
import org.reseq.model.redis.Incarnation;
import org.reseq.model.redis.RedisDataLostException;
import org.reseq.model.redis.TransformResult;
import org.reseq.resequencer.release.ResultBuffer.Check;
import org.reseq.resequencer.release.ResultBuffer.Fence;

/**
 * What every {@link ResultBuffer} does, run against the in-memory fake the leader's unit tests use
 * and against Redis: fencing by epoch, the contiguous release, lost data, rewind requests, and
 * nothing released once a lease's term has ended.
 */
abstract class ResultBufferContract {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final String destination = "contract-" + UUID.randomUUID();
    /** The incarnation {@link #lease} leads (destination id 1). */
    private final Incarnation incarnation = new Incarnation(destination, 1);

    /** The buffer under test. */
    abstract ResultBuffer buffer();

    /** A worker stored {@code result}. */
    abstract void finished(String destination, TransformResult result);

    /** The sequences released so far, in release order. */
    abstract List<Long> released(String destination);

    /** Egress asked for a rewind. */
    abstract void requestRewind(String destination);

    /** The store lost everything of {@code destination}. */
    abstract void lose(String destination);

    @Test
    void aClaimSetsTheFenceAndRefusesAnOlderEpoch() {
        assertThat(buffer().claim(lease(5))).isEqualTo(Fence.MISSING);
        assertThat(buffer().claim(lease(5))).isEqualTo(Fence.OURS);
        assertThatThrownBy(() -> buffer().claim(lease(4))).isInstanceOf(LeaseLostException.class);
        assertThat(buffer().claim(lease(6))).as("a newer leader takes it").isEqualTo(Fence.OURS);
    }

    @Test
    void aReleaseMovesTheContiguousRunAndStopsAtAGap() {
        buffer().claim(lease(1));
        finish(1, 2, 4);

        assertThat(buffer().release(lease(1), 1, 4)).isEqualTo(2);
        assertThat(buffer().release(lease(1), 3, 4)).isZero();
        finish(3);
        assertThat(buffer().release(lease(1), 3, 4)).isEqualTo(2);
        assertThat(released(destination)).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void aStaleEpochReleasesNothing() {
        buffer().claim(lease(5));
        finish(1, 2, 3);

        assertThat(buffer().release(lease(5), 1, 1)).isEqualTo(1);
        assertThatThrownBy(() -> buffer().release(lease(4), 2, 3)).isInstanceOf(LeaseLostException.class);
        assertThat(released(destination)).containsExactly(1L);
        assertThat(buffer().release(lease(5), 2, 3)).isEqualTo(2);
    }

    @Test
    void aMissingOrOlderFenceIsLostData() {
        finish(1);

        assertThatThrownBy(() -> buffer().release(lease(3), 1, 1)).isInstanceOf(RedisDataLostException.class);
        buffer().claim(lease(2));
        assertThatThrownBy(() -> buffer().release(lease(3), 1, 1)).isInstanceOf(RedisDataLostException.class);
        assertThat(buffer().check(lease(3)).fence()).isEqualTo(Fence.MISSING);
        assertThat(released(destination)).isEmpty();
    }

    @Test
    void whatWasLostIsReportedAtTheNextCheck() {
        buffer().claim(lease(1));
        finish(1);
        lose(destination);

        assertThat(buffer().check(lease(1))).isEqualTo(new Check(Fence.MISSING, false));
        assertThatThrownBy(() -> buffer().release(lease(1), 1, 1)).isInstanceOf(RedisDataLostException.class);
    }

    @Test
    void aRewindRequestIsTakenOnceAndOnlyByTheFenceHolder() {
        buffer().claim(lease(7));
        requestRewind(destination);

        assertThatThrownBy(() -> buffer().check(lease(6))).isInstanceOf(LeaseLostException.class);
        assertThat(buffer().check(lease(7))).isEqualTo(new Check(Fence.OURS, true));
        assertThat(buffer().check(lease(7))).isEqualTo(new Check(Fence.OURS, false));
    }

    @Test
    void aScanDiscardsReleasedRepeatsAndReportsWhatIsNotKnown() {
        finish(2, 3, 5);
        finished(destination, result(4, false));

        assertThat(buffer().scan(incarnation, 2, Set.of(3L))).containsOnlyKeys(4L, 5L)
                .containsEntry(4L, false).containsEntry(5L, true);
        assertThat(buffer().result(incarnation, 2)).as("a repeat of a released result").isEmpty();
        buffer().discard(incarnation, 5);
        assertThat(buffer().result(incarnation, 5)).isEmpty();
    }

    @Test
    void aSkipReleasesThePlaceholderInsteadOfAnyResult() {
        buffer().claim(lease(1));
        finish(1);

        assertThat(buffer().releaseInstead(lease(1), 1, result(1, false))).isEqualTo(1);

        assertThat(released(destination)).containsExactly(1L);
        assertThat(buffer().result(incarnation, 1)).isEmpty();
    }

    @Test
    void resultsStoredByTheLeaderAreReleasedLikeAWorkersAndKeepTheirContent() {
        buffer().claim(lease(1));
        TransformResult first = result(1, true);

        buffer().store(incarnation, List.of(first, result(2, true)));

        assertThat(buffer().scan(incarnation, 0, Set.of())).containsOnlyKeys(1L, 2L);
        assertThat(buffer().result(incarnation, 1)).hasValueSatisfying(stored -> {
            assertThat(stored.payload()).isEqualTo(first.payload());
            assertThat(stored.messageId()).isEqualTo(first.messageId());
        });
        assertThat(buffer().release(lease(1), 1, 2)).isEqualTo(2);
        assertThat(released(destination)).containsExactly(1L, 2L);
    }

    @Test
    void nothingIsReleasedOnceTheTermEnded() {
        Lease lease = lease(1);
        buffer().claim(lease);
        finish(1);

        nanos.addAndGet(Duration.ofSeconds(9).toNanos());

        assertThatThrownBy(() -> buffer().release(lease, 1, 1)).isInstanceOf(LeaseLostException.class);
        assertThatThrownBy(() -> buffer().releaseInstead(lease, 1, result(1, false)))
                .isInstanceOf(LeaseLostException.class);
        assertThat(released(destination)).isEmpty();
    }

    private void finish(long... sequences) {
        for (long sequence : sequences) {
            finished(destination, result(sequence, true));
        }
    }

    private Lease lease(long epoch) {
        LeaseTerm term = new LeaseTerm(Duration.ofSeconds(8), nanos::get);
        term.renewed(term.now());
        return new Lease(destination, 1, LeaseRole.RESEQUENCER, epoch, 0, term);
    }

    TransformResult result(long sequence, boolean ok) {
        return new TransformResult(sequence, UUID.nameUUIDFromBytes((destination + sequence).getBytes()), ok,
                "text/plain", ok ? ("t-" + sequence).getBytes(StandardCharsets.UTF_8) : new byte[0],
                ok ? "" : "failed", 1, 0);
    }
}
