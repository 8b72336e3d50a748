package org.reseq.worker.consume;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.reseq.model.redis.LuaScripts;
import org.reseq.model.redis.RedisKeys;
import org.springframework.data.redis.connection.stream.Consumer;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.connection.stream.StreamReadOptions;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.core.StreamOperations;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.stereotype.Component;

/**
 * The work stream ({@link RedisKeys#work()}) seen through the worker consumer group
 * ({@link RedisKeys#WORKER_GROUP}). Thread-safe: every call is one or two Redis commands or one
 * script. Spring Data Redis has no XAUTOCLAIM, so claiming runs it in a script; removing gone
 * consumers is a script too, so that it is atomic.
 */
@Component
class RedisWorkStream {

    private final RedisTemplate<String, byte[]> redis;
    private final StreamOperations<String, Object, Object> streams;
    private final String key;
    @SuppressWarnings("rawtypes")
    private final RedisScript<List> claimIdleScript = script("scripts/worker-claim-idle.lua");
    @SuppressWarnings("rawtypes")
    private final RedisScript<List> refreshClaimsScript = script("scripts/worker-refresh-claims.lua");
    @SuppressWarnings("rawtypes")
    private final RedisScript<List> forgetConsumersScript = script("scripts/worker-forget-consumers.lua");

    RedisWorkStream(RedisTemplate<String, byte[]> binaryRedisTemplate, RedisKeys keys) {
        this.redis = binaryRedisTemplate;
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
     * acknowledged for {@code minIdle} (their worker presumably died), scanning the group's
     * pending entries from {@code cursor} ({@link ClaimedWork#START} for the beginning). The idle
     * check and the change of owner are one atomic step (XAUTOCLAIM), so an entry whose owner
     * refreshed its claim in time is never taken. Entries that were deleted while pending are
     * acknowledged away and reported as such. Entries this consumer already owned are returned
     * too: the caller knows which of them it is still running.
     */
    ClaimedWork claimIdle(String consumer, Duration minIdle, String cursor, int count) {
        List<Object> reply = runScript(claimIdleScript, RedisKeys.WORKER_GROUP, consumer,
                Long.toString(minIdle.toMillis()), cursor, Integer.toString(count), RedisKeys.VALUE_FIELD);
        List<Object> entries = list(reply.get(1));
        List<WorkRecord> records = new ArrayList<>(entries.size() / 2);
        for (int i = 0; i + 1 < entries.size(); i += 2) {
            byte[] value = entries.get(i + 1) instanceof byte[] bytes ? bytes : null;
            records.add(new WorkRecord(text(entries.get(i)), value));
        }
        List<String> deleted = list(reply.get(2)).stream().map(RedisWorkStream::text).toList();
        return new ClaimedWork(text(reply.get(0)), List.copyOf(records), deleted);
    }

    /**
     * Resets the idle time of those of {@code ids} that are still pending for {@code consumer}
     * (XCLAIM ... JUSTID, one atomic call), so that no other worker takes over items this one is
     * still running. An entry another consumer has taken over meanwhile is left with it.
     */
    ClaimRefresh refreshClaims(String consumer, List<String> ids) {
        if (ids.isEmpty()) {
            return new ClaimRefresh(Set.of(), Set.of());
        }
        Object[] args = new Object[ids.size() + 2];
        args[0] = RedisKeys.WORKER_GROUP;
        args[1] = consumer;
        for (int i = 0; i < ids.size(); i++) {
            args[i + 2] = ids.get(i);
        }
        List<Object> reply = runScript(refreshClaimsScript, args);
        return new ClaimRefresh(texts(reply.get(0)), texts(reply.get(1)));
    }

    /**
     * What a refresh found.
     *
     * @param kept the entries still pending for the consumer, now with a fresh idle time
     * @param takenOver the entries pending for another consumer: they were claimed from this one
     */
    record ClaimRefresh(Set<String> kept, Set<String> takenOver) {
    }

    /**
     * Removes from the group every consumer other than {@code self} that has been idle for at
     * least {@code minIdle} and has no pending entries. Removing a consumer discards its pending
     * entries, so the check and the removal are one atomic step (XINFO CONSUMERS, then XGROUP
     * DELCONSUMER, in one script): a consumer that still has entries keeps them until the claim
     * pass has taken them over, and no entry is ever lost.
     *
     * @return the names of the consumers removed
     */
    List<String> forgetIdleConsumers(String self, Duration minIdle) {
        return runScript(forgetConsumersScript, RedisKeys.WORKER_GROUP, self, Long.toString(minIdle.toMillis()))
                .stream().map(RedisWorkStream::text).toList();
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

    @SuppressWarnings({"unchecked", "rawtypes"})
    private List<Object> runScript(RedisScript<List> script, Object... args) {
        // String arguments in, raw bytes out: nested replies are deserialized element by element.
        List<Object> reply = redis.execute(script, RedisSerializer.string(),
                (RedisSerializer) RedisSerializer.byteArray(), List.of(key), args);
        return reply == null ? List.of() : reply;
    }

    @SuppressWarnings("rawtypes")
    private static RedisScript<List> script(String location) {
        return LuaScripts.load(location, List.class);
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object reply) {
        return reply instanceof List<?> list ? (List<Object>) list : List.of();
    }

    private static Set<String> texts(Object reply) {
        return list(reply).stream().map(RedisWorkStream::text).collect(Collectors.toUnmodifiableSet());
    }

    private static String text(Object reply) {
        return new String((byte[]) reply, StandardCharsets.UTF_8);
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
