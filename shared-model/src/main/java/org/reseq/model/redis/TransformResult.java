package org.reseq.model.redis;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.reseq.model.tracing.Traceparent;

/**
 * The outcome of one work item, stored in the destination's done buffer and, once released,
 * on its out stream. Idempotent per (destination, sequence): a second copy overwrites the first.
 *
 * @param sequence the delivery's sequence
 * @param messageId the message it came from
 * @param ok whether the transform chain succeeded
 * @param contentType the transformed payload's content type
 * @param payload the transformed payload (empty when it failed)
 * @param headers the travelling headers after the chain; when it failed, the item's own
 * @param error why it failed (empty when it succeeded)
 * @param attempts how many attempts the chain took
 * @param completedAtMillis when the last attempt ended (epoch milliseconds)
 * @param traceparent the message's trace context, as its work item carried it; null when it has none
 */
public record TransformResult(
        long sequence,
        UUID messageId,
        boolean ok,
        String contentType,
        byte[] payload,
        Map<String, String> headers,
        String error,
        int attempts,
        long completedAtMillis,
        Traceparent traceparent) {

    public TransformResult {
        headers = headers == null || headers.isEmpty() ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    /** A result without a trace context. */
    public TransformResult(long sequence, UUID messageId, boolean ok, String contentType, byte[] payload,
                           Map<String, String> headers, String error, int attempts, long completedAtMillis) {
        this(sequence, messageId, ok, contentType, payload, headers, error, attempts, completedAtMillis, null);
    }

    /** A result without headers. */
    public TransformResult(long sequence, UUID messageId, boolean ok, String contentType, byte[] payload,
                           String error, int attempts, long completedAtMillis) {
        this(sequence, messageId, ok, contentType, payload, Map.of(), error, attempts, completedAtMillis);
    }

    public static TransformResult success(WorkItem item, String contentType, byte[] payload,
                                          Map<String, String> headers, int attempts, long now) {
        return new TransformResult(item.sequence(), item.messageId(), true, contentType, payload, headers, "",
                attempts, now, item.traceparent());
    }

    /** A failure keeps the item's headers: a dead letter recorded from it is redelivered with them. */
    public static TransformResult failure(WorkItem item, String error, int attempts, long now) {
        return new TransformResult(item.sequence(), item.messageId(), false, item.contentType(), new byte[0],
                item.headers(), error, attempts, now, item.traceparent());
    }
}
