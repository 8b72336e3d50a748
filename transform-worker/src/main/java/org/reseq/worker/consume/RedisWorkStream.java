package org.reseq.worker.consume;

import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.reseq.model.redis.RedisKeys;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.RedisStreamCommands.XClaimOptions;
import org.springframework.data.redis.connection.stream.Consumer;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.PendingMessage;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.RecordId;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.connection.stream.StreamReadOptions;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.core.StreamOperations;
import org.springframework.stereotype.Component;

/**
 * The work stream ({@link RedisKeys#work()}) seen through the worker consumer group
 * ({@link RedisKeys#WORKER_GROUP}). Thread-safe: every call is one or two Redis commands.
 */
@Component
class RedisWorkStream {

    private final StreamOperations<String, Object, Object> streams;
    private final String key;

    RedisWorkStream(RedisTemplate<String, byte[]> binaryRedisTemplate, RedisKeys keys) {
        this.streams = binaryRedisTemplate.opsForStream();
        this.key = keys.work();
    }

    /**
     * Creates the stream (MKSTREAM) and the group unless the group exists. The group starts at
     * the stream's beginning, so items added before it existed (say, after Redis was flushed and
     * the resequencer re-dispatched) are not skipped.
     */
    void ensureGroup() {
        try {
            streams.createGroup(key, ReadOffset.from("0-0"), RedisKeys.WORKER_GROUP);
        } catch (RuntimeException e) {
            if (!causedBy(e, "BUSYGROUP")) {
                throw e;
            }
        }
    }

    /** Up to {@code count} entries never delivered to any consumer, waiting at most {@code block}. */
    List<WorkRecord> read(String consumer, int count, Duration block) {
        List<MapRecord<String, Object, Object>> records = streams.read(
                Consumer.from(RedisKeys.WORKER_GROUP, consumer),
                StreamReadOptions.empty().count(count).block(block),
                StreamOffset.create(key, ReadOffset.lastConsumed()));
        return toWorkRecords(records);
    }

    /**
     * Takes over up to {@code count} entries that were delivered to some consumer but not
     * acknowledged for {@code minIdle} (their worker presumably died), skipping the ones
     * {@code busyHere} says this instance is still working on.
     */
    List<WorkRecord> claimIdle(String consumer, Duration minIdle, int count, Predicate<String> busyHere) {
        List<RecordId> ids = streams.pending(key, RedisKeys.WORKER_GROUP, Range.unbounded(), count, minIdle)
                .stream()
                .filter(pending -> !busyHere.test(pending.getIdAsString()))
                .map(PendingMessage::getId)
                .toList();
        if (ids.isEmpty()) {
            return List.of();
        }
        return toWorkRecords(streams.claim(key, RedisKeys.WORKER_GROUP, consumer,
                XClaimOptions.minIdle(minIdle).ids(ids)));
    }

    /** Acknowledges the entry, then deletes it, so the stream holds only unfinished work. */
    void acknowledgeAndDelete(String id) {
        streams.acknowledge(key, RedisKeys.WORKER_GROUP, id);
        streams.delete(key, id);
    }

    /**
     * True when {@code e} says the stream or the group is gone (Redis was flushed or the key was
     * deleted): the group must be created again before reading.
     */
    static boolean isMissingGroup(Throwable e) {
        return causedBy(e, "NOGROUP") || causedBy(e, "UNBLOCKED");
    }

    private static List<WorkRecord> toWorkRecords(List<MapRecord<String, Object, Object>> records) {
        if (records == null) {
            return List.of();
        }
        return records.stream()
                .map(record -> new WorkRecord(record.getId().getValue(),
                        record.getValue().get(RedisKeys.VALUE_FIELD) instanceof byte[] bytes ? bytes : null))
                .toList();
    }

    private static boolean causedBy(Throwable e, String redisError) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains(redisError)) {
                return true;
            }
        }
        return false;
    }
}
