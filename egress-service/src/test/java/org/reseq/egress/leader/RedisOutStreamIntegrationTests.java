package org.reseq.egress.leader;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.reseq.egress.fake.SharedRedis;
import org.reseq.model.redis.Codec;
import org.reseq.model.redis.Incarnation;
import org.reseq.model.redis.RedisKeys;
import org.reseq.model.redis.Signal;
import org.reseq.model.redis.TransformResult;
import org.springframework.data.redis.connection.stream.RecordId;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/** The contract against Redis: the stream the resequencer appends to, its rewind key and the delivered channel. */
class RedisOutStreamIntegrationTests extends OutStreamContract {

    private static final RedisKeys KEYS = SharedRedis.freshKeys();
    private static final List<Signal> signals = new CopyOnWriteArrayList<>();
    private static RedisMessageListenerContainer listener;

    private final RedisTemplate<String, byte[]> redis = SharedRedis.binary();
    private final StringRedisTemplate strings = SharedRedis.strings();
    private final RedisOutStream out = new RedisOutStream(redis, strings, KEYS);

    @BeforeAll
    static void listen() {
        listener = new RedisMessageListenerContainer();
        listener.setConnectionFactory(SharedRedis.connectionFactory());
        listener.addMessageListener((message, pattern) ->
                        signals.add(Signal.decode(new String(message.getBody(), StandardCharsets.UTF_8))),
                new ChannelTopic(KEYS.deliveredChannel()));
        listener.afterPropertiesSet();
        listener.start();
    }

    @AfterAll
    static void stopListening() throws Exception {
        listener.destroy();
    }

    @Override
    OutStream out() {
        return out;
    }

    @Override
    RecordId append(String destination, TransformResult result) {
        return redis.opsForStream().add(StreamRecords.newRecord().in(KEYS.out(incarnation(destination)))
                .ofMap(Map.of(RedisKeys.VALUE_FIELD, Codec.encode(result))));
    }

    @Override
    RecordId append(String destination, RecordId id, TransformResult result) {
        return redis.opsForStream().add(StreamRecords.newRecord().in(KEYS.out(incarnation(destination))).withId(id)
                .ofMap(Map.of(RedisKeys.VALUE_FIELD, Codec.encode(result))));
    }

    @Override
    RecordId appendUndecodable(String destination) {
        return redis.opsForStream().add(StreamRecords.newRecord().in(KEYS.out(incarnation(destination)))
                .ofMap(Map.of(RedisKeys.VALUE_FIELD, "not a result".getBytes(StandardCharsets.UTF_8))));
    }

    @Override
    void lose(String destination) {
        redis.delete(KEYS.out(incarnation(destination)));
    }

    @Override
    OptionalLong rewindRequested(String destination) {
        String position = strings.opsForValue().get(KEYS.rewind(incarnation(destination)));
        return position == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(position));
    }

    @Override
    List<Long> deliveredSignals(String destination) {
        return signals.stream().filter(signal -> signal.destination().equals(destination)).map(Signal::number)
                .toList();
    }

    /** The incarnation the contract works on: destination id 1. */
    private static Incarnation incarnation(String destination) {
        return new Incarnation(destination, 1);
    }
}
