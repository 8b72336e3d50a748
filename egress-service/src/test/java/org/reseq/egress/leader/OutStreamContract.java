package org.reseq.egress.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.reseq.model.redis.Incarnation;
import org.reseq.model.redis.TransformResult;
import org.springframework.data.redis.connection.stream.RecordId;

/**
 * What every {@link OutStream} does, run against the in-memory fake the leader's unit tests use
 * and against Redis: entries read in stream order after an id, the head, removal, entries that
 * cannot be decoded, a stream recreated with lower ids, rewind requests and delivered signals.
 */
abstract class OutStreamContract {

    final String destination = "out-" + UUID.randomUUID();
    /** The incarnation under test: its out stream is what {@link #append} writes to. */
    final Incarnation incarnation = new Incarnation(destination, 1);

    abstract OutStream out();

    /** The resequencer released {@code result}: appended with the next id. */
    abstract RecordId append(String destination, TransformResult result);

    /** Appended with the id given, as a Redis that restarted empty may hand out. */
    abstract RecordId append(String destination, RecordId id, TransformResult result);

    /** Appends an entry whose value cannot be decoded. */
    abstract RecordId appendUndecodable(String destination);

    /** The store lost the destination's stream. */
    abstract void lose(String destination);

    /** The rewind request waiting for the resequencer, empty when there is none. */
    abstract OptionalLong rewindRequested(String destination);

    /** The delivered sequences signalled for {@code destination} so far, as a listener received them. */
    abstract List<Long> deliveredSignals(String destination);

    @Test
    void entriesAreReadInStreamOrderAfterTheIdGivenAtMostCountAtATime() {
        RecordId three = append(destination, result(3));
        RecordId one = append(destination, result(1));
        RecordId two = append(destination, result(2));

        assertThat(sequences(out().read(incarnation, null, 10))).containsExactly(3L, 1L, 2L);
        assertThat(out().read(incarnation, null, 2)).extracting(OutStream.Entry::id).containsExactly(three, one);
        assertThat(out().read(incarnation, three, 1)).extracting(OutStream.Entry::id).containsExactly(one);
        assertThat(out().read(incarnation, two, 10)).isEmpty();
    }

    @Test
    void aResultIsReadBackAsItWasReleased() {
        TransformResult released = result(7);
        append(destination, released);

        TransformResult read = out().read(incarnation, null, 1).getFirst().result();

        assertThat(read.sequence()).isEqualTo(7);
        assertThat(read.messageId()).isEqualTo(released.messageId());
        assertThat(read.ok()).isTrue();
        assertThat(read.contentType()).isEqualTo("text/plain");
        assertThat(read.payload()).isEqualTo(released.payload());
    }

    @Test
    void theFirstEntryIsTheOldestStillInTheStream() {
        assertThat(out().first(incarnation)).isEmpty();
        RecordId five = append(destination, result(5));
        append(destination, result(4));

        assertThat(out().first(incarnation)).map(OutStream.Entry::id).contains(five);
        out().delete(incarnation, List.of(five));
        assertThat(out().first(incarnation)).map(entry -> entry.result().sequence()).contains(4L);
    }

    @Test
    void deletingRemovesTheEntriesNamedAndIgnoresIdsNoLongerThere() {
        RecordId one = append(destination, result(1));
        RecordId two = append(destination, result(2));
        append(destination, result(3));

        out().delete(incarnation, List.of(one, two));
        out().delete(incarnation, List.of(one));
        out().delete(incarnation, List.of());

        assertThat(sequences(out().read(incarnation, null, 10))).containsExactly(3L);
    }

    @Test
    void anEntryThatCannotBeDecodedIsReadWithoutAResult() {
        RecordId broken = appendUndecodable(destination);
        append(destination, result(2));

        List<OutStream.Entry> read = out().read(incarnation, null, 10);

        assertThat(read).hasSize(2);
        assertThat(read.getFirst().id()).isEqualTo(broken);
        assertThat(read.getFirst().result()).isNull();
        assertThat(read.get(1).result().sequence()).isEqualTo(2);
    }

    @Test
    void aStreamRecreatedWithLowerIdsIsFoundFromItsHeadNotAfterTheLastIdRead() {
        append(destination, result(1));
        RecordId lastRead = append(destination, result(2));
        lose(destination);

        RecordId lower = append(destination, RecordId.of(1, 3), result(3));

        assertThat(OutStream.ID_ORDER.compare(lower, lastRead)).isNegative();
        assertThat(out().read(incarnation, lastRead, 10)).isEmpty();
        assertThat(out().first(incarnation)).map(OutStream.Entry::id).contains(lower);
        assertThat(sequences(out().read(incarnation, null, 10))).containsExactly(3L);
    }

    @Test
    void aRewindRequestHoldsTheLastPositionAsked() {
        assertThat(rewindRequested(destination)).isEmpty();

        out().requestRewind(incarnation, 4);
        out().requestRewind(incarnation, 7);

        assertThat(rewindRequested(destination)).hasValue(7);
    }

    @Test
    void theDeliveredSignalCarriesTheDestinationAndTheDeliveredSequence() {
        // a signal is a hint that a listener subscribing late misses: sent until one arrives
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            out().publishDelivered(destination, 9);
            assertThat(deliveredSignals(destination)).contains(9L);
        });
        assertThat(deliveredSignals("another-" + destination)).isEmpty();
    }

    private static List<Long> sequences(List<OutStream.Entry> entries) {
        return entries.stream().map(entry -> entry.result().sequence()).toList();
    }

    TransformResult result(long sequence) {
        return new TransformResult(sequence, UUID.nameUUIDFromBytes((destination + sequence).getBytes()), true,
                "text/plain", ("t-" + sequence).getBytes(StandardCharsets.UTF_8), "", 1, 0);
    }
}
