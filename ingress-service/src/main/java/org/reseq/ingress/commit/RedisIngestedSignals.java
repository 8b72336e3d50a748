package org.reseq.ingress.commit;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.reseq.model.redis.RedisKeys;
import org.reseq.model.redis.Signal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Publishes {@link Signal#ingested} on the ingested channel, best effort.
 *
 * <p>Threads: the committer thread calls {@link #ingested}, which only records the highest
 * sequence per destination and wakes the publisher; one publisher thread (virtual) owns the
 * Redis calls. A slow or unreachable Redis therefore never delays a commit or an ack, and the
 * pending state stays bounded by the number of destinations (later signals overwrite earlier
 * ones). A failed publish is logged and dropped: receivers also poll.
 */
public final class RedisIngestedSignals implements IngestedListener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisIngestedSignals.class);

    private final StringRedisTemplate redis;
    private final String channel;
    private final Map<String, Long> pending = new ConcurrentHashMap<>();
    private final Semaphore wake = new Semaphore(0);
    private final Thread publisher;
    private volatile boolean closed;

    public RedisIngestedSignals(StringRedisTemplate redis, RedisKeys keys) {
        this.redis = redis;
        this.channel = keys.ingestedChannel();
        this.publisher = Thread.ofVirtual().name("ingested-signals").start(this::run);
    }

    @Override
    public void ingested(Map<String, Long> lastSequences) {
        lastSequences.forEach((destination, last) -> pending.merge(destination, last, Math::max));
        wake.release();
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        wake.release();
        publisher.join(TimeUnit.SECONDS.toMillis(2));
    }

    private void run() {
        while (!closed) {
            try {
                wake.acquire();
                wake.drainPermits();
            } catch (InterruptedException e) {
                return;
            }
            for (String destination : pending.keySet()) {
                Long last = pending.remove(destination);
                if (last != null) {
                    publish(destination, last);
                }
            }
        }
    }

    private void publish(String destination, long last) {
        try {
            redis.convertAndSend(channel, Signal.ingested(destination, last).encode());
        } catch (RuntimeException e) {
            log.warn("Could not publish ingested signal for {} up to {}: {}", destination, last, e.toString());
        }
    }
}
