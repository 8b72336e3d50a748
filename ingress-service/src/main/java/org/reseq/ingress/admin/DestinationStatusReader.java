package org.reseq.ingress.admin;

import java.time.Clock;
import java.util.Optional;
import org.reseq.ingress.transforms.TransformTypes;
import org.reseq.model.destination.DestinationConfig;
import org.reseq.model.destination.SecretMasking;
import org.reseq.model.failure.ErrorTexts;
import org.reseq.model.redis.Codec;
import org.reseq.model.redis.HeldHead;
import org.reseq.model.redis.Incarnation;
import org.reseq.model.redis.RedisKeys;
import org.reseq.model.redis.TransformResult;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * Computes a destination's status from its PostgreSQL row, its dead letters and, for the head of
 * line, Redis's done buffer.
 */
@Component
class DestinationStatusReader {

    private final RedisTemplate<String, byte[]> redis;
    private final StringRedisTemplate strings;
    private final RedisKeys keys;
    private final Clock clock;
    private final DeadLetterStore deadLetters;
    private final TransformTypes transformTypes;
    private final DestinationLeaders leaders;

    DestinationStatusReader(RedisTemplate<String, byte[]> redis, StringRedisTemplate strings, RedisKeys keys,
            Clock clock, DeadLetterStore deadLetters, TransformTypes transformTypes, DestinationLeaders leaders) {
        this.redis = redis;
        this.strings = strings;
        this.keys = keys;
        this.clock = clock;
        this.deadLetters = deadLetters;
        this.transformTypes = transformTypes;
        this.leaders = leaders;
    }

    /**
     * The status of a destination.
     *
     * @param config its configuration as the caller already read it, or null when it cannot be read
     */
    DestinationStatus status(DestinationStore.Row row, DestinationConfig config) {
        return new DestinationStatus(row.lastSequence(), row.released(), row.delivered(),
                Math.max(0, row.lastSequence() - row.delivered()), row.paused(), headOfLine(row),
                deadLetters.count(row.name()), heldByEgress(row).map(held -> new DestinationStatus.HeadOfLine(
                        held.sequence(), DestinationStatus.State.HELD, null, held.why(), null)).orElse(null),
                row.oldestUndeliveredArrivedAt() == null ? null
                        : Math.max(0, clock.millis() - row.oldestUndeliveredArrivedAt().toEpochMilli()),
                // An unreadable configuration is shown as such; what it needs is unknown.
                config == null ? null : transformTypes.withoutLiveWorker(config), leaders.of(row.id(), row.name()));
    }

    private DestinationStatus.HeadOfLine headOfLine(DestinationStore.Row row) {
        if (row.released() >= row.lastSequence()) {
            return null;
        }
        long sequence = row.released() + 1;
        Long ageMs = row.headArrivedAt() == null
                ? null
                : Math.max(0, clock.millis() - row.headArrivedAt().toEpochMilli());
        Optional<TransformResult> stored;
        try {
            stored = result(row.incarnation(), sequence);
        } catch (UnreadableResultException e) {
            return new DestinationStatus.HeadOfLine(sequence, DestinationStatus.State.UNREADABLE, ageMs,
                    e.getMessage(), null);
        }
        if (stored.isEmpty()) {
            return new DestinationStatus.HeadOfLine(sequence, DestinationStatus.State.PROCESSING, ageMs, null, null);
        }
        TransformResult result = stored.get();
        return result.ok()
                ? new DestinationStatus.HeadOfLine(sequence, DestinationStatus.State.DONE, ageMs, null, null)
                // The worker masks what it writes; a result written before it did is masked here.
                : new DestinationStatus.HeadOfLine(sequence, DestinationStatus.State.FAILED, ageMs,
                        SecretMasking.text(result.error()), result.attempts());
    }

    /**
     * The message egress holds at delivered + 1, if it holds one. A held head it announced for an
     * earlier position is stale (it was delivered or passed over since) and ignored.
     */
    Optional<HeldHead> heldByEgress(DestinationStore.Row row) {
        return HeldHead.decode(strings.opsForValue().get(keys.held(row.incarnation())))
                .filter(held -> held.sequence() == row.delivered() + 1);
    }

    /**
     * The result a worker stored for the sequence in the destination's done buffer, if any.
     *
     * @throws UnreadableResultException when what is stored cannot be decoded
     */
    Optional<TransformResult> result(Incarnation destination, long sequence) {
        byte[] stored = redis.<String, byte[]>opsForHash().get(keys.done(destination), Long.toString(sequence));
        if (stored == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Codec.decodeResult(stored));
        } catch (RuntimeException e) {
            throw new UnreadableResultException("the stored result of " + sequence + " cannot be read ("
                    + stored.length + " bytes): " + ErrorTexts.clean(e.getMessage()));
        }
    }

    /** A stored result that cannot be decoded: shown as such, never as a failed request. */
    static final class UnreadableResultException extends RuntimeException {

        UnreadableResultException(String message) {
            super(message, null, false, false);
        }
    }
}
