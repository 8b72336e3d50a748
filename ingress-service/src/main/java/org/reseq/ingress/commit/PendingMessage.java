package org.reseq.ingress.commit;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A message a sender posted, not yet committed.
 *
 * @param id its UUIDv7
 * @param channel the channel it was posted to
 * @param contentType its content type, kept as the sender gave it
 * @param payload its body
 * @param arrivedAt when ingress received it
 * @param idempotencyKey the sender's idempotency key, or null
 */
public record PendingMessage(
        UUID id, String channel, String contentType, byte[] payload, Instant arrivedAt, String idempotencyKey) {

    public PendingMessage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(arrivedAt, "arrivedAt");
    }
}
