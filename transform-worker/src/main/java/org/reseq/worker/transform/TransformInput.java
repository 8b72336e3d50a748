package org.reseq.worker.transform;

import java.util.UUID;
import org.reseq.model.redis.WorkItem;

/**
 * What a {@link Transform} receives: the payload as left by the previous step, and the
 * delivery it belongs to.
 *
 * @param payload the payload bytes (never modified in place)
 * @param contentType the payload's content type
 * @param destination the destination the delivery is bound for
 * @param sequence the delivery's sequence within that destination
 * @param messageId the message the delivery came from
 */
public record TransformInput(byte[] payload, String contentType, String destination, long sequence, UUID messageId) {

    /** The first step's input: the work item's original payload. */
    public static TransformInput of(WorkItem item) {
        return new TransformInput(item.payload(), item.contentType(), item.destination(), item.sequence(),
                item.messageId());
    }

    /** The next step's input: this delivery with the previous step's output. */
    public TransformInput with(TransformOutput output) {
        return new TransformInput(output.payload(), output.contentType(), destination, sequence, messageId);
    }
}
