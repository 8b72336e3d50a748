package org.reseq.egress.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.reseq.model.failure.DeadLetter.Stage.DELIVERY;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.reseq.model.failure.DeadLetter;
import org.reseq.model.lease.Lease;
import org.reseq.model.lease.LeaseLostException;
import org.reseq.model.lease.LeaseRole;
import org.reseq.model.lease.LeaseTerm;

/**
 * What every {@link DeliveryDeadLetters} does, against the in-memory fake the leader's unit tests
 * use and against PostgreSQL: a dead letter keeps what is needed to redeliver it, is recorded
 * once, only by the holder of the current epoch and only within its term, and notes its
 * redelivery.
 */
abstract class DeliveryDeadLettersContract {

    final String destination = "dead-letters-" + UUID.randomUUID().toString().substring(0, 8);
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final UUID messageId = UUID.randomUUID();
    private final byte[] payload = "t-4".getBytes(StandardCharsets.UTF_8);

    abstract DeliveryDeadLetters deadLetters();

    /** A holder of {@code epoch} took the destination's EGRESS lease (the destination exists from now on). */
    abstract void taken(long epoch) throws Exception;

    @Test
    void aDeadLetterIsRecordedWithWhatItTakesToRedeliverIt() throws Exception {
        taken(1);

        deadLetters().record(lease(1), DELIVERY, 4, messageId, "422 Unprocessable Content", 3, "text/plain",
                payload, Map.of("X-Tenant", "acme"));

        DeadLetter letter = deadLetters().find(destination, 4).orElseThrow();
        assertThat(letter.destination()).isEqualTo(destination);
        assertThat(letter.sequence()).isEqualTo(4);
        assertThat(letter.messageId()).isEqualTo(messageId);
        assertThat(letter.stage()).isEqualTo(DeadLetter.Stage.DELIVERY);
        assertThat(letter.error()).isEqualTo("422 Unprocessable Content");
        assertThat(letter.attempts()).isEqualTo(3);
        assertThat(letter.contentType()).isEqualTo("text/plain");
        assertThat(letter.payload()).isEqualTo(payload);
        assertThat(letter.headers()).containsExactly(Map.entry("X-Tenant", "acme"));
        assertThat(letter.deadLetteredAt()).isNotNull();
        assertThat(letter.redeliveredAt()).isNull();
    }

    @Test
    void recordingTheSameSequenceAgainChangesNothing() throws Exception {
        taken(1);
        deadLetters().record(lease(1), DELIVERY, 4, messageId, "first", 3, "text/plain", payload, Map.of());

        deadLetters().record(lease(1), DELIVERY, 4, messageId, "second", 5, "text/plain", payload, Map.of());

        assertThat(deadLetters().find(destination, 4).orElseThrow().error()).isEqualTo("first");
    }

    @Test
    void aStaleHolderRecordsNothing() throws Exception {
        taken(2);

        assertThatThrownBy(() -> deadLetters().record(lease(1), DELIVERY, 4, messageId, "stale", 3, "text/plain",
                payload, Map.of()))
                .isInstanceOf(LeaseLostException.class);

        assertThat(deadLetters().find(destination, 4)).isEmpty();
    }

    @Test
    void nothingIsRecordedOnceTheTermEnded() throws Exception {
        taken(1);
        Lease lease = lease(1);

        nanos.addAndGet(Duration.ofSeconds(9).toNanos());

        assertThatThrownBy(() -> deadLetters().record(lease, DELIVERY, 4, messageId, "late", 3, "text/plain",
                payload, Map.of()))
                .isInstanceOf(LeaseLostException.class);
        assertThat(deadLetters().find(destination, 4)).isEmpty();
    }

    @Test
    void aRedeliveryIsNotedOnTheDeadLetter() throws Exception {
        taken(1);
        deadLetters().record(lease(1), DELIVERY, 4, messageId, "422", 3, "text/plain", payload, Map.of());

        deadLetters().markRedelivered(destination, 4);

        assertThat(deadLetters().find(destination, 4).orElseThrow().redeliveredAt()).isNotNull();
    }

    @Test
    void aSequenceNeverRecordedIsNoDeadLetter() throws Exception {
        taken(1);

        assertThat(deadLetters().find(destination, 4)).isEmpty();
        deadLetters().markRedelivered(destination, 4);
        assertThat(deadLetters().find(destination, 4)).isEmpty();
    }

    private Lease lease(long epoch) {
        LeaseTerm term = new LeaseTerm(Duration.ofSeconds(8), nanos::get);
        term.renewed(term.now());
        return new Lease(destination, 1, LeaseRole.EGRESS, epoch, 0, term);
    }
}
