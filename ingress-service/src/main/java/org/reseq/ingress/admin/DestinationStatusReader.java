package org.reseq.ingress.admin;

import java.time.Clock;
import org.reseq.model.redis.Codec;
import org.reseq.model.redis.RedisKeys;
import org.reseq.model.redis.TransformResult;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.stereotype.Component;

/** Computes a destination's status from its PostgreSQL row and, for the head of line, Redis's done buffer. */
@Component
class DestinationStatusReader {

    private final RedisTemplate<String, byte[]> redis;
    private final RedisKeys keys;
    private final Clock clock;

    DestinationStatusReader(RedisTemplate<String, byte[]> redis, RedisKeys keys, Clock clock) {
        this.redis = redis;
        this.keys = keys;
        this.clock = clock;
    }

    DestinationStatus status(DestinationStore.Row row) {
        return new DestinationStatus(row.lastSequence(), row.released(), row.delivered(),
                Math.max(0, row.lastSequence() - row.delivered()), row.paused(), headOfLine(row), 0);
    }

    private DestinationStatus.HeadOfLine headOfLine(DestinationStore.Row row) {
        if (row.released() >= row.lastSequence()) {
            return null;
        }
        long sequence = row.released() + 1;
        Long ageMs = row.headArrivedAt() == null
                ? null
                : Math.max(0, clock.millis() - row.headArrivedAt().toEpochMilli());
        byte[] stored = redis.<String, byte[]>opsForHash().get(keys.done(row.name()), Long.toString(sequence));
        if (stored == null) {
            return new DestinationStatus.HeadOfLine(sequence, DestinationStatus.State.PROCESSING, ageMs, null, null);
        }
        TransformResult result = Codec.decodeResult(stored);
        return result.ok()
                ? new DestinationStatus.HeadOfLine(sequence, DestinationStatus.State.DONE, ageMs, null, null)
                : new DestinationStatus.HeadOfLine(sequence, DestinationStatus.State.FAILED, ageMs, result.error(),
                        result.attempts());
    }
}
