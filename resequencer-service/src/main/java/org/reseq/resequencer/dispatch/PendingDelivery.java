package org.reseq.resequencer.dispatch;

import java.util.Map;
import java.util.UUID;
import org.reseq.model.tracing.Traceparent;

/**
 * A delivery with the message it carries, as read for dispatch.
 *
 * @param sequence its sequence within the destination
 * @param messageId the message's id
 * @param contentType the message's content type
 * @param payload the message's payload
 * @param headers the message's travelling headers, in its channel's order
 * @param traceparent the message's stored trace context, or null when it has none
 */
public record PendingDelivery(long sequence, UUID messageId, String contentType, byte[] payload,
                              Map<String, String> headers, Traceparent traceparent) {

    /** A delivery of a message without a trace context. */
    public PendingDelivery(long sequence, UUID messageId, String contentType, byte[] payload,
                           Map<String, String> headers) {
        this(sequence, messageId, contentType, payload, headers, null);
    }

    /** A delivery of a message without headers. */
    public PendingDelivery(long sequence, UUID messageId, String contentType, byte[] payload) {
        this(sequence, messageId, contentType, payload, Map.of(), null);
    }
}
