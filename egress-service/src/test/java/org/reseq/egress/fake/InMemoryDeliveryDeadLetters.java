package org.reseq.egress.fake;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.reseq.egress.leader.DeliveryDeadLetters;
import org.reseq.model.failure.DeadLetter;
import org.reseq.model.lease.Lease;
import org.reseq.model.lease.LeaseLostException;

/**
 * The dead letters in memory, fenced by the epochs of the cursors as PostgreSQL's are by the
 * cursor row (see {@code DeliveryDeadLettersContract}, which runs the same checks against both).
 * Thread-safe: the leader's thread and the test's thread both use it.
 */
public final class InMemoryDeliveryDeadLetters implements DeliveryDeadLetters {

    private final InMemoryCursors cursors;
    private final Clock clock;
    private final Map<String, TreeMap<Long, DeadLetter>> letters = new HashMap<>();

    public InMemoryDeliveryDeadLetters(InMemoryCursors cursors, Clock clock) {
        this.cursors = cursors;
        this.clock = clock;
    }

    /** A dead letter of an earlier stage, as the resequencer records them. */
    public synchronized void add(DeadLetter letter) {
        byDestination(letter.destination()).putIfAbsent(letter.sequence(), letter);
    }

    /** The dead letters of {@code destination}, in sequence order. */
    public synchronized List<DeadLetter> all(String destination) {
        return List.copyOf(byDestination(destination).values());
    }

    @Override
    public synchronized void record(Lease lease, DeadLetter.Stage stage, long sequence, UUID messageId, String error,
                                    int attempts, String contentType, byte[] payload, Map<String, String> headers) {
        lease.ensureValid();
        if (!cursors.holds(lease)) {
            throw new LeaseLostException(lease, "the epoch moved on before a dead letter was recorded");
        }
        byDestination(lease.destination()).putIfAbsent(sequence, new DeadLetter(lease.destination(), sequence,
                messageId, stage, error, attempts, contentType, payload.clone(), headers, clock.instant(),
                null));
    }

    @Override
    public synchronized Optional<DeadLetter> find(String destination, long sequence) {
        return Optional.ofNullable(byDestination(destination).get(sequence));
    }

    @Override
    public synchronized void markRedelivered(String destination, long sequence) {
        byDestination(destination).computeIfPresent(sequence, (key, letter) -> new DeadLetter(letter.destination(),
                letter.sequence(), letter.messageId(), letter.stage(), letter.error(), letter.attempts(),
                letter.contentType(), letter.payload(), letter.headers(), letter.deadLetteredAt(), clock.instant()));
    }

    private TreeMap<Long, DeadLetter> byDestination(String destination) {
        return letters.computeIfAbsent(destination, d -> new TreeMap<>());
    }
}
