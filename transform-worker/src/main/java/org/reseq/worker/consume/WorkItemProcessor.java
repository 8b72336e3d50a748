package org.reseq.worker.consume;

import io.micrometer.tracing.Span;
import java.time.Clock;
import org.reseq.model.destination.DestinationConfigJson.InvalidConfigException;
import org.reseq.model.destination.SecretMasking;
import org.reseq.model.redis.Codec;
import org.reseq.model.redis.RedisKeys;
import org.reseq.model.redis.TransformResult;
import org.reseq.model.redis.WorkItem;
import org.reseq.model.tracing.MessageTracing;
import org.reseq.worker.transform.ChainRunner;
import org.reseq.worker.transform.TransformChain;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;

/**
 * Takes one work stream entry from read to acknowledged: decode, transform, store the result
 * (and signal), then XACK and XDEL the entry. The entry is acknowledged only after its result is
 * stored, so a crash at any point leaves it pending for another attempt, never lost.
 *
 * <p>Each item is transformed in a span of its message's trace, {@code reseq.transform}, in scope
 * on the item's thread (its log lines carry the trace and span ids; an {@code http} step sends
 * its context on).
 *
 * <p>Threading: {@link #decode} runs on the consumer loop, which needs each entry's destination
 * and size before it decides when the entry runs; {@link #process} runs on the entry's own
 * virtual thread. The class is stateless.
 */
@Component
class WorkItemProcessor {

    private static final Logger log = LoggerFactory.getLogger(WorkItemProcessor.class);
    static final String SPAN_NAME = "reseq.transform";

    private final RedisWorkStream stream;
    private final ChainCache chains;
    private final ChainRunner runner;
    private final RedisResultStore results;
    private final WorkerMetrics metrics;
    private final Clock clock;
    private final MessageTracing tracing;

    WorkItemProcessor(RedisWorkStream stream, ChainCache chains, ChainRunner runner, RedisResultStore results,
            WorkerMetrics metrics, Clock clock, MessageTracing tracing) {
        this.tracing = tracing;
        this.stream = stream;
        this.chains = chains;
        this.runner = runner;
        this.results = results;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * Decodes an entry as read. One that is not a work item is dropped (acknowledged and
     * deleted): poison bytes would fail the same way forever.
     *
     * @return the entry to run, or null when it was dropped
     */
    WorkEntry decode(WorkRecord record) {
        WorkItem item = decodeItem(record);
        if (item != null) {
            return new WorkEntry(record.id(), item, record.value().length);
        }
        try {
            stream.acknowledgeAndDelete(record.id());
            metrics.dropped();
        } catch (RuntimeException e) {
            log.warn("Could not drop work stream entry {} yet; it stays pending here and is dropped when it is "
                    + "claimed again: {}", record.id(), e.toString());
        }
        return null;
    }

    /**
     * Transforms one entry and completes it.
     *
     * @throws InterruptedException when shutdown interrupted it: the entry stays pending
     */
    void process(WorkEntry entry) throws InterruptedException {
        WorkItem item = entry.item();
        // Each item has a virtual thread of its own (InFlightItems), so the log context is the item's
        // alone: every line logged while it is processed names the delivery it is about.
        MDC.put("destination", item.destination());
        MDC.put("sequence", Long.toString(item.sequence()));
        MDC.put("messageId", item.messageId().toString());
        Span span = tracing.startFor(SPAN_NAME, item.traceparent(), item.destination(), item.sequence(), item.messageId());
        try {
            tracing.within(span, () -> processInContext(entry, item, span));
        } finally {
            MDC.remove("destination");
            MDC.remove("sequence");
            MDC.remove("messageId");
        }
    }

    private void processInContext(WorkEntry entry, WorkItem item, Span span) throws InterruptedException {
        long started = System.nanoTime();
        TransformResult result = transform(item);
        span.tag("reseq.attempts", result.attempts());
        if (!result.ok()) {
            span.tag("error", result.error());
        }
        metrics.transformed(result, System.nanoTime() - started);
        switch (results.store(item.destinationIncarnation(), result)) {
            case STORED -> metrics.stored(result);
            case INCARNATION_GONE -> log.info("Dropped the result of {}:{}: its destination was deleted (or Redis lost"
                    + " its data and it is dispatched again)", item.destination(), item.sequence());
            case KEPT_EXISTING -> {
                // a failed copy never overwrites another copy's result
            }
        }
        // Not in the store script: the work stream and the destination's keys lie in different hash
        // slots of a Redis Cluster, and no script may span two. A crash (or a Redis error) between
        // the two calls leaves the entry pending with its result stored; the entry is claimed again
        // and transformed again, and storing it again is harmless because a result is idempotent per
        // (destination, sequence): a failure never overwrites a result (HSETNX), a success replaces
        // the result of the same delivery before release, and a field at or below the released
        // cursor is swept by the resequencer without being released twice.
        stream.acknowledgeAndDelete(entry.id());
        if (!result.ok()) {
            log.warn("Transform of {}:{} failed after {} attempt(s): {}", item.destination(), item.sequence(),
                    result.attempts(), result.error());
        }
    }

    private static WorkItem decodeItem(WorkRecord record) {
        if (record.value() == null) {
            log.error("Dropping work stream entry {}: it has no '{}' field", record.id(),
                    RedisKeys.VALUE_FIELD);
            return null;
        }
        try {
            return Codec.decodeWorkItem(record.value());
        } catch (RuntimeException e) {
            log.error("Dropping work stream entry {}: it is not a work item ({})", record.id(), e.getMessage());
            return null;
        }
    }

    private TransformResult transform(WorkItem item) throws InterruptedException {
        TransformChain chain;
        try {
            chain = chains.chainFor(item.configJson());
        } catch (RuntimeException e) {
            // Retrying cannot fix a configuration: report the failure so the destination's policy applies.
            return TransformResult.failure(item, "invalid destination configuration: " + reason(e), 0,
                    clock.millis());
        }
        return runner.run(item, chain);
    }

    private static String reason(RuntimeException e) {
        if (e instanceof InvalidConfigException invalid) {
            return String.join("; ", invalid.violations().stream()
                    .map(violation -> violation.field() + " " + violation.message())
                    .toList());
        }
        // A URL that cannot be parsed is quoted whole by the parser's message.
        return SecretMasking.text(e.getMessage());
    }
}
