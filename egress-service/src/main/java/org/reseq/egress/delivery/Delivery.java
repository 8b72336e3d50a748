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
 */
public record Delivery(String destination, long sequence, UUID messageId, String contentType, byte[] payload) {

    public static Delivery of(String destination, TransformResult result) {
        return new Delivery(destination, result.sequence(), result.messageId(), result.contentType(),
                result.payload());
    }

    /** The same for every attempt and every repeat after a failover, so a receiver can drop repeats. */
    public String idempotencyKey() {
        return destination + ":" + sequence;
    }
}
