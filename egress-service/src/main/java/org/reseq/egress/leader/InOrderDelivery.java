package org.reseq.egress.leader;

import io.micrometer.core.instrument.Timer;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import java.util.Optional;
import org.reseq.egress.delivery.Delivery;
import org.reseq.egress.delivery.DeliveryChannel;
import org.reseq.egress.delivery.DeliveryMetrics;
import org.reseq.egress.delivery.DeliveryStoppedException;
import org.reseq.model.destination.DestinationConfig;
import org.reseq.model.lease.Lease;
import org.reseq.model.redis.TransformResult;
import org.reseq.model.tracing.MessageTracing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.stream.RecordId;

/**
 * Delivers the results next in line, one after the delivered cursor at a time, each stamped with
 * the lease's epoch and sent only while the lease's term holds. A result accepted, dead-lettered
 * ({@link StoppedDeliveryOutcome}) or standing for a message failed upstream moves the cursor on;
 * any other stop leaves it next in line.
 *
 * <p>Each delivery, all its attempts, is a span of its message's trace, {@code reseq.deliver}, in
 * scope on the leader's thread while it lasts: an HTTP destination receives its context as
 * {@code traceparent}, and the leader's log lines carry its trace and span ids.
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
        for (int count = 0; count < config.maxBatch(); count++) {
            Optional<ReadAhead.Held<RecordId>> next = reader.next(cursor.delivered());
            if (next.isEmpty()) {
                return true;
            }
            if (!deliver(next.get(), channel, config)) {
                return false;
            }
        }
        return true;
    }

    /** @return false when the destination did not accept it; it stays next in line */
    private boolean deliver(ReadAhead.Held<RecordId> next, DeliveryChannel channel, DestinationConfig config)
            throws Exception {
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
            send(channel, config, result);
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

    /** Hands one result to the destination within its {@code reseq.deliver} span, while the lease's term holds. */
    private void send(DeliveryChannel channel, DestinationConfig config, TransformResult result) throws Exception {
        Span span = tracing.start(SPAN_NAME, result.traceparent())
                .tag("reseq.destination", destination)
                .tag("reseq.sequence", result.sequence())
                .tag("reseq.message_id", result.messageId().toString());
        try (Tracer.SpanInScope scope = tracing.inScope(span)) {
            lease.ensureValid();
            channel.deliver(config, Delivery.of(destination, result, lease.epoch()), guards.inOrder(config)
                    .whenHolding(why -> blockedHead.heldAt(result.sequence(), why)));
        } catch (Exception e) {
            span.error(e);
            throw e;
        } finally {
            span.end();
        }
    }
}
