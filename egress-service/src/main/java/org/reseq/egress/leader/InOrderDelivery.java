package org.reseq.egress.leader;

import io.micrometer.core.instrument.Timer;
import io.micrometer.tracing.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.reseq.egress.delivery.Delivery;
import org.reseq.egress.delivery.DeliveryChannel;
import org.reseq.egress.delivery.DeliveryMetrics;
import org.reseq.egress.delivery.DeliveryStoppedException;
import org.reseq.egress.delivery.RetryGuard;
import org.reseq.model.destination.DeliverySettings;
import org.reseq.model.destination.DestinationConfig;
import org.reseq.model.lease.Lease;
import org.reseq.model.redis.TransformResult;
import org.reseq.model.tracing.MessageTracing;
import org.reseq.model.tracing.Traceparent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.stream.RecordId;

/**
 * Delivers the results next in line, one after the delivered cursor at a time, each stamped with
 * the lease's epoch and sent only while the lease's term holds. A result accepted, dead-lettered
 * ({@link StoppedDeliveryOutcome}) or standing for a message failed upstream moves the cursor on;
 * any other stop leaves it next in line.
 *
 * <p>A destination with batched delivery gets the successful results that are next in line
 * without a gap, up to its limits, in one exchange, and the cursor moves past all of them once
 * it accepted. When it rejects a batch for good, the results of that batch go one per batch, so
 * the one it rejects meets the failure policy alone and the others are delivered in order.
 *
 * <p>Each delivery, all its attempts, is a span of its message's trace, {@code reseq.deliver}, in
 * scope on the leader's thread while it lasts: an HTTP destination receives its context as
 * {@code traceparent}, and the leader's log lines carry its trace and span ids. In a batch each
 * message has its span, and its item carries that span's context.
 *
 * <p>Not thread-safe: owned by the leader's thread, for one lease.
 */
final class InOrderDelivery {

    private static final Logger log = LoggerFactory.getLogger(InOrderDelivery.class);
    static final String SPAN_NAME = "reseq.deliver";

    private final String destination;
    private final Lease lease;
    private final DeliveryMetrics metrics;
    private final OrderedReader reader;
    private final DeliveredCursor cursor;
    private final RetryGuards guards;
    private final StoppedDeliveryOutcome stopped;
    private final BlockedHead blockedHead;
    private final MessageTracing tracing;
    /** Up to this sequence batches hold one result: a batch up to it was rejected for good. */
    private long singlesUpTo;

    InOrderDelivery(String destination, Lease lease, LeaderContext context, OrderedReader reader,
                    DeliveredCursor cursor, RetryGuards guards, StoppedDeliveryOutcome stopped,
                    BlockedHead blockedHead) {
        this.destination = destination;
        this.lease = lease;
        this.metrics = context.metrics();
        this.reader = reader;
        this.cursor = cursor;
        this.guards = guards;
        this.stopped = stopped;
        this.blockedHead = blockedHead;
        this.tracing = context.tracing();
    }

    /**
     * Delivers the results next in line, at most a batch of them.
     *
     * @return false when a delivery stopped without the destination accepting it
     */
    boolean deliverNext(DeliveryChannel channel, DestinationConfig config) throws Exception {
        DeliverySettings settings = config.deliverySettings();
        boolean batches = settings.batches() && channel.batches();
        int count = 0;
        while (count < config.maxBatch()) {
            Optional<ReadAhead.Held<RecordId>> next = reader.next(cursor.delivered());
            if (next.isEmpty()) {
                return true;
            }
            List<ReadAhead.Held<RecordId>> run = batches
                    ? reader.run(cursor.delivered(), cursor.delivered() < singlesUpTo ? 1 : settings.maxMessages(),
                            settings.maxBytes())
                    : List.of();
            boolean goesOn = run.size() > 1 ? deliverBatch(run, channel, config)
                    : deliver(next.get(), channel, config, batches);
            if (!goesOn) {
                return false;
            }
            count += Math.max(1, run.size());
        }
        return true;
    }

    /**
     * Delivers {@code run} in one exchange.
     *
     * @return false when the destination did not accept it and the leader stops; true when it was
     *         accepted, or rejected for good and is now sent one result at a time
     */
    private boolean deliverBatch(List<ReadAhead.Held<RecordId>> run, DeliveryChannel channel,
                                 DestinationConfig config) throws Exception {
        List<Span> spans = new ArrayList<>(run.size());
        List<Delivery> batch = new ArrayList<>(run.size());
        for (ReadAhead.Held<RecordId> held : run) {
            Span span = started(held.result());
            spans.add(span);
            batch.add(batchItem(held.result(), span));
        }
        Timer.Sample sample = Timer.start();
        try {
            lease.ensureValid();
            channel.deliverBatch(config, batch, guards.inOrder(config));
        } catch (DeliveryStoppedException e) {
            spans.forEach(span -> span.error(e));
            if (!e.permanentlyRejected() && !e.undeliverable()) {
                return false;
            }
            singlesUpTo = run.getLast().sequence();
            log.warn("{}: the batch of sequences {} to {} was rejected ({}); sending them one at a time to find the"
                    + " one rejected", destination, run.getFirst().sequence(), singlesUpTo, e.getMessage());
            return true;
        } catch (Exception e) {
            spans.forEach(span -> span.error(e));
            throw e;
        } finally {
            spans.forEach(Span::end);
        }
        sample.stop(metrics.delivery(destination));
        metrics.delivered(destination).increment(run.size());
        blockedHead.passed(run.getLast().sequence());
        run.forEach(cursor::consumed);
        return true;
    }

    /**
     * Delivers one result, as a batch of one when the destination takes batches.
     *
     * @return false when the destination did not accept it; it stays next in line
     */
    private boolean deliver(ReadAhead.Held<RecordId> next, DeliveryChannel channel, DestinationConfig config,
                            boolean asBatch) throws Exception {
        TransformResult result = next.result();
        if (blockedHead.takeSkip(result.sequence())) {
            stopped.skipped(result);
            cursor.consumed(next);
            return true;
        }
        if (!result.ok()) {
            // Only a failure policy upstream releases a failed result: it stands for a message
            // that was dead-lettered there, so there is nothing to hand over.
            log.warn("{}: sequence {} failed its transforms ({}); not delivered", destination, result.sequence(),
                    result.error());
            cursor.consumed(next);
            return true;
        }
        Timer.Sample sample = Timer.start();
        try {
            send(channel, config, result, asBatch);
        } catch (DeliveryStoppedException e) {
            if (stopped.passOver(result, config, e)) {
                blockedHead.passed(result.sequence());
                cursor.consumed(next);
                return true;
            }
            return false;
        }
        sample.stop(metrics.delivery(destination));
        metrics.delivered(destination).increment();
        blockedHead.passed(result.sequence());
        cursor.consumed(next);
        return true;
    }

    /**
     * Hands one result to the destination within its {@code reseq.deliver} span, while the lease's
     * term holds: as a batch of one when the destination takes batches.
     */
    private void send(DeliveryChannel channel, DestinationConfig config, TransformResult result, boolean asBatch)
            throws Exception {
        Span span = started(result);
        tracing.within(span, () -> {
            lease.ensureValid();
            RetryGuard guard = guards.inOrder(config).whenHolding(why -> blockedHead.heldAt(result.sequence(), why));
            if (asBatch) {
                channel.deliverBatch(config, List.of(batchItem(result, span)), guard);
            } else {
                channel.deliver(config, Delivery.of(destination, result, lease.epoch()), guard);
            }
        });
    }

    /** The result as an item of a batch, carrying the context of its own delivery span. */
    private Delivery batchItem(TransformResult result, Span span) {
        Traceparent context = MessageTracing.of(span);
        return Delivery.of(destination, result, lease.epoch()).traced(context == null ? null : context.toString());
    }

    /** A started {@code reseq.deliver} span in the trace of the result's message. */
    private Span started(TransformResult result) {
        return tracing.startFor(SPAN_NAME, result.traceparent(), destination, result.sequence(), result.messageId());
    }
}
