package org.reseq.worker.consume;

import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes the worker group's consumers that are gone. Every worker process joins the group as a
 * consumer named after itself ({@code reseq.instance-id}, by default host name and pid), so every
 * restart adds a consumer and, left alone, the group's list of consumers would only grow. After
 * each claim pass the consumer loop has this class remove every other consumer idle for
 * {@code forget-consumer-idle} with nothing pending ({@link RedisWorkStream#forgetIdleConsumers}).
 * A dead worker's pending entries are first taken over by the claim pass, and the pending check
 * and the removal are one atomic step, so no entry is ever lost. A live worker that merely had
 * nothing to read for that long may be removed too, which is harmless: it has nothing pending,
 * and Redis adds it again when it next reads an entry.
 *
 * <p>A Redis failure is logged (a warning when failures start, then at debug level) and
 * otherwise ignored: the next claim pass tries again, and the consumer loop carries on.
 *
 * <p>Threading: not thread-safe; only the consumer loop's thread uses it.
 */
final class GoneConsumers {

    private static final Logger log = LoggerFactory.getLogger(GoneConsumers.class);

    private final RedisWorkStream stream;
    private final WorkerMetrics metrics;
    private final String consumer;
    private final Duration forgetIdle;
    private boolean failing;

    GoneConsumers(RedisWorkStream stream, WorkerMetrics metrics, String consumer, Duration forgetIdle) {
        this.stream = stream;
        this.metrics = metrics;
        this.consumer = consumer;
        this.forgetIdle = forgetIdle;
    }

    /**
     * Removes the consumers gone by now, never this instance's own.
     *
     * @return how many were removed; 0 when Redis failed
     */
    int forget() {
        List<String> removed;
        try {
            removed = stream.forgetIdleConsumers(consumer, forgetIdle);
        } catch (RuntimeException e) {
            if (!failing) {
                log.warn("Cannot remove gone consumers from the worker group; trying again after the next claim "
                        + "pass: {}", e.toString());
            } else {
                log.debug("Removing gone consumers from the worker group failed again: {}", e.toString());
            }
            failing = true;
            return 0;
        }
        if (failing) {
            log.info("Removing gone consumers from the worker group works again");
            failing = false;
        }
        if (!removed.isEmpty()) {
            metrics.consumersRemoved(removed.size());
            log.info("Removed {} consumer(s) idle for {} or longer with nothing pending from the worker group: {}",
                    removed.size(), forgetIdle, removed);
        }
        return removed.size();
    }
}
