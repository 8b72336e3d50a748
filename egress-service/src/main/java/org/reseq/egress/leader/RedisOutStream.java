package org.reseq.egress.leader;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.reseq.model.redis.Codec;
import org.reseq.model.redis.Incarnation;
import org.reseq.model.redis.RedisKeys;
import org.reseq.model.redis.Signal;
import org.reseq.model.redis.TransformResult;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.RecordId;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * The {@link OutStream} in Redis: a stream per destination that the resequencer appends to, the
 * rewind key it reads, and the delivered signal on the pub/sub channel it listens to. Stateless
 * and thread-safe; every leader uses it for its own destination only.
 */
@Component
class RedisOutStream implements OutStream {

    private final RedisTemplate<String, byte[]> redis;
    private final StringRedisTemplate signals;
    private final RedisKeys keys;

    RedisOutStream(RedisTemplate<String, byte[]> binaryRedisTemplate, StringRedisTemplate signals, RedisKeys keys) {
        this.redis = binaryRedisTemplate;
        this.signals = signals;
        this.keys = keys;
    }

    @Override
    public List<Entry> read(Incarnation destination, RecordId after, int count) {
        Range<String> range = after == null
                ? Range.unbounded()
                : Range.rightUnbounded(Range.Bound.exclusive(after.getValue()));
        return range(destination, range, count);
    }

    @Override
    public Optional<Entry> first(Incarnation destination) {
        return range(destination, Range.unbounded(), 1).stream().findFirst();
    }

    private List<Entry> range(Incarnation destination, Range<String> range, int count) {
        List<MapRecord<String, String, byte[]>> records =
                redis.<String, byte[]>opsForStream().range(keys.out(destination), range, Limit.limit().count(count));
        List<Entry> entries = new ArrayList<>(records == null ? 0 : records.size());
        if (records != null) {
            for (MapRecord<String, String, byte[]> record : records) {
                entries.add(new Entry(record.getId(), decode(record.getValue().get(RedisKeys.VALUE_FIELD))));
            }
        }
        return entries;
    }

    @Override
    public void delete(Incarnation destination, List<RecordId> ids) {
        if (!ids.isEmpty()) {
            redis.opsForStream().delete(keys.out(destination), ids.toArray(RecordId[]::new));
        }
    }

    @Override
    public void requestRewind(Incarnation destination, long delivered) {
        signals.opsForValue().set(keys.rewind(destination), Long.toString(delivered));
    }

    @Override
    public void publishDelivered(String destination, long deliveredSequence) {
        signals.convertAndSend(keys.deliveredChannel(),
                Signal.delivered(destination, deliveredSequence).encode());
    }

    private static TransformResult decode(byte[] value) {
        if (value == null) {
            return null;
        }
        try {
            return Codec.decodeResult(value);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
