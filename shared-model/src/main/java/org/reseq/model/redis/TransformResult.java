package org.reseq.model.redis;

import java.util.UUID;

/**
 * The outcome of one work item, stored in the destination's done buffer and, once released,
 * on its out stream. Idempotent per (destination, sequence): a second copy overwrites the first.
 *
 * @param sequence the delivery's sequence
 * @param messageId the message it came from
 * @param ok whether the transform chain succeeded
 * @param contentType the transformed payload's content type
 * @param payload the transformed payload (empty when it failed)
 * @param error why it failed (empty when it succeeded)
 * @param attempts how many attempts the chain took
 * @param completedAtMillis when the last attempt ended (epoch milliseconds)
 */
public record TransformResult(
        long sequence,
        UUID messageId,
        boolean ok,
        String contentType,
        byte[] payload,
        String error,
        int attempts,
        long completedAtMillis) {

    public static TransformResult success(WorkItem item, String contentType, byte[] payload, int attempts, long now) {
        return new TransformResult(item.sequence(), item.messageId(), true, contentType, payload, "", attempts, now);
    }

    public static TransformResult failure(WorkItem item, String error, int attempts, long now) {
        return new TransformResult(item.sequence(), item.messageId(), false, item.contentType(), new byte[0],
                error, attempts, now);
    }
}
