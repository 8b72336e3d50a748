package org.reseq.resequencer.dispatch;

import io.micrometer.tracing.Span;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.reseq.model.redis.Incarnation;
import org.reseq.model.redis.TransformResult;
import org.reseq.model.redis.WorkItem;
import org.reseq.model.tracing.MessageTracing;
import org.reseq.resequencer.release.ResultBuffer;
import org.springframework.stereotype.Component;

/**
 * Reads a range of deliveries from PostgreSQL and puts them on the work stream. The leader decides
 * the range (its dispatch window); this class only moves it, at most {@link #CHUNK_BYTES} of
 * payload (and at least one delivery) per call, so that a window of large messages never sits in
 * memory, or in one Redis command, at once. A destination without transforms skips the workers:
 * its deliveries go to its done buffer as finished results at once, the hop through the work
 * stream and a worker would change nothing but the latency.
 *
 * <p>Each work item sent records a span of its message's trace, {@code reseq.dispatch}: the
 * moment the leader handed it to the workers (again, for a head dispatched again). The item
 * carries the message's own trace context, so the worker's span is a sibling of it.
 *
 * <p>Thread-safe (stateless): every leader thread calls it for its own destination.
 */
@Component
public class Dispatcher {

    /** The most payload one dispatch reads and sends, past which it stops after the delivery that reached it. */
    public static final long CHUNK_BYTES = 8L * 1024 * 1024;
    static final String SPAN_NAME = "reseq.dispatch";

    private final Deliveries deliveries;
    private final WorkQueue workQueue;
    private final ResultBuffer results;
    private final Clock clock;
    private final MessageTracing tracing;

    public Dispatcher(Deliveries deliveries, WorkQueue workQueue, ResultBuffer results, Clock clock,
                      MessageTracing tracing) {
        this.deliveries = deliveries;
        this.workQueue = workQueue;
        this.results = results;
        this.clock = clock;
        this.tracing = tracing;
    }

    /** The destination's progress, empty when it does not exist (any more). */
    public Optional<Progress> progress(String destination) throws SQLException {
        return deliveries.progress(destination);
    }

    /**
     * Dispatches the deliveries with sequence in {@code (after, upTo]}, except those in {@code skip}
     * (they already have a result), up to {@link #CHUNK_BYTES} of payload: the caller calls again
     * from the highest sequence read for the rest.
     *
     * @param config the destination's configuration, carried by every work item
     * @return what was read: the highest sequence (or {@code after} when none) and how many were sent
     */
    public Dispatched dispatch(Incarnation destination, long after, long upTo, Set<Long> skip, Config config)
            throws SQLException {
        return dispatch(destination, after, upTo, skip, config, CHUNK_BYTES);
    }

    /**
     * As {@link #dispatch(Incarnation, long, long, Set, Config)}, reading at most {@code maxBytes}
     * of payload (and at least one delivery), never more than {@link #CHUNK_BYTES}.
     */
    public Dispatched dispatch(Incarnation destination, long after, long upTo, Set<Long> skip, Config config,
                               long maxBytes) throws SQLException {
        List<PendingDelivery> pending = deliveries.between(destination.destination(), after, upTo,
                Math.max(1, Math.min(maxBytes, CHUNK_BYTES)));
        List<Read> read = new ArrayList<>(pending.size());
        long now = clock.millis();
        List<WorkItem> items = new ArrayList<>(pending.size());
        long highest = after;
        for (PendingDelivery delivery : pending) {
            highest = Math.max(highest, delivery.sequence());
            read.add(new Read(delivery.sequence(), delivery.payload().length));
            if (!skip.contains(delivery.sequence())) {
                items.add(new WorkItem(destination.destination(), destination.id(), delivery.sequence(),
                        delivery.messageId(), delivery.contentType(), delivery.payload(), delivery.headers(),
                        config.json(), now, delivery.traceparent()));
            }
        }
        List<Span> spans = started(destination.destination(), items);
        try {
            if (!config.transforms()) {
                return passThrough(destination, highest, items, read, now);
            }
            workQueue.addAll(items);
            return new Dispatched(highest, items.size(), read, List.of());
        } catch (RuntimeException e) {
            spans.forEach(span -> span.error(e));
            throw e;
        } finally {
            spans.forEach(Span::end);
        }
    }

    /** With nothing to transform, a delivery's result is the delivery itself, as a worker would give it. */
    private Dispatched passThrough(Incarnation destination, long highest, List<WorkItem> items, List<Read> read,
                                   long now) {
        List<TransformResult> finished = new ArrayList<>(items.size());
        for (WorkItem item : items) {
            finished.add(TransformResult.success(item, item.contentType(), item.payload(), item.headers(), 1, now));
        }
        results.store(destination, finished);
        return new Dispatched(highest, items.size(), read, finished.stream().map(TransformResult::sequence).toList());
    }

    /**
     * The destination's configuration as dispatch needs it.
     *
     * @param json as stored, carried by every work item
     * @param transforms whether its chain has any step; false sends nothing to the workers
     */
    public record Config(String json, boolean transforms) {
    }

    /** A started {@code reseq.dispatch} span per item, in the trace of its message. */
    private List<Span> started(String destination, List<WorkItem> items) {
        List<Span> spans = new ArrayList<>(items.size());
        for (WorkItem item : items) {
            spans.add(tracing.startFor(SPAN_NAME, item.traceparent(), destination, item.sequence(), item.messageId()));
        }
        return spans;
    }

    /**
     * @param highest the highest sequence read; every sequence up to it is dispatched or has a result
     * @param sent how many deliveries were handed on, to the workers or straight to the done buffer
     * @param read every delivery read, dispatched or not, with its payload size
     * @param finished the sequences whose results are in the done buffer already (nothing to transform)
     */
    public record Dispatched(long highest, int sent, List<Read> read, List<Long> finished) {
    }

    /** A delivery read for dispatch: its sequence and payload size. */
    public record Read(long sequence, int bytes) {
    }
}
