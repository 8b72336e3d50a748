package org.reseq.egress.delivery;

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
 * @param redelivery true for an operator's redelivery of a dead letter, outside the ordered stream
 * @param epoch the sending leader's lease epoch (a fencing token a receiver may check: it never
 *        goes down at a destination except for a repeat by a holder that was just replaced); 0
 *        when unknown
 */
public record Delivery(String destination, long sequence, UUID messageId, String contentType, byte[] payload,
                       boolean redelivery, long epoch) {

    /** A delivery in order. */
    public Delivery(String destination, long sequence, UUID messageId, String contentType, byte[] payload) {
        this(destination, sequence, messageId, contentType, payload, false, 0);
    }

    public Delivery(String destination, long sequence, UUID messageId, String contentType, byte[] payload,
                    boolean redelivery) {
        this(destination, sequence, messageId, contentType, payload, redelivery, 0);
    }

    public static Delivery of(String destination, TransformResult result, long epoch) {
        return new Delivery(destination, result.sequence(), result.messageId(), result.contentType(),
                result.payload(), false, epoch);
    }

    /** The same for every attempt and every repeat after a failover, so a receiver can drop repeats. */
    public String idempotencyKey() {
        return destination + ":" + sequence;
    }
}
