package org.reseq.egress.delivery;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.reseq.model.redis.TransformResult;

/**
 * One message to hand to a destination.
 *
 * @param destination the destination's name
 * @param sequence its sequence within that destination
 * @param messageId the message it came from
 * @param contentType the transformed payload's content type
 * @param payload the transformed payload
 * @param headers the travelling headers to send with it (HTTP destinations only), in order
 * @param redelivery true for an operator's redelivery of a dead letter, outside the ordered stream
 * @param epoch the sending leader's lease epoch (a fencing token a receiver may check: it never
 *        goes down at a destination except for a repeat by a holder that was just replaced); 0
 *        when unknown
 * @param traceparent the W3C trace context of this delivery's span, as text, for a batch item
 *        (which carries its own); null otherwise: a single delivery sends the context of the
 *        span in scope
 */
public record Delivery(String destination, long sequence, UUID messageId, String contentType, byte[] payload,
                       Map<String, String> headers, boolean redelivery, long epoch, String traceparent) {

    public Delivery {
        headers = headers == null || headers.isEmpty() ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    public Delivery(String destination, long sequence, UUID messageId, String contentType, byte[] payload,
                    Map<String, String> headers, boolean redelivery, long epoch) {
        this(destination, sequence, messageId, contentType, payload, headers, redelivery, epoch, null);
    }

    /** A delivery in order, without headers. */
    public Delivery(String destination, long sequence, UUID messageId, String contentType, byte[] payload) {
        this(destination, sequence, messageId, contentType, payload, Map.of(), false, 0);
    }

    public Delivery(String destination, long sequence, UUID messageId, String contentType, byte[] payload,
                    boolean redelivery) {
        this(destination, sequence, messageId, contentType, payload, Map.of(), redelivery, 0);
    }

    public Delivery(String destination, long sequence, UUID messageId, String contentType, byte[] payload,
                    boolean redelivery, long epoch) {
        this(destination, sequence, messageId, contentType, payload, Map.of(), redelivery, epoch);
    }

    public static Delivery of(String destination, TransformResult result, long epoch) {
        return new Delivery(destination, result.sequence(), result.messageId(), result.contentType(),
                result.payload(), result.headers(), false, epoch);
    }

    /** This delivery as a batch item in the trace context {@code traceparent} (W3C text, or null). */
    public Delivery traced(String traceparent) {
        return new Delivery(destination, sequence, messageId, contentType, payload, headers, redelivery, epoch,
                traceparent);
    }

    /** The same for every attempt and every repeat after a failover, so a receiver can drop repeats. */
    public String idempotencyKey() {
        return destination + ":" + sequence;
    }
}
