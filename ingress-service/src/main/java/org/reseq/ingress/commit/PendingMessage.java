package org.reseq.ingress.commit;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.reseq.model.tracing.Traceparent;

/**
 * A message a sender posted, not yet committed.
 *
 * @param id its UUIDv7
 * @param channel the channel it was posted to
 * @param contentType its content type, kept as the sender gave it
 * @param payload its body
 * @param arrivedAt when ingress received it
 * @param idempotencyKey the sender's idempotency key, or null
 * @param sentHeaders the headers its sender sent that a channel could keep, by lower-case name, a
 *        repeated header's values joined (see {@code ingest.SentHeaders}); the commit keeps those its
 *        channel names, as the channel is configured in the commit's transaction
 * @param traceparent the trace context of the span that ingested it, stored with it; null when
 *        tracing is off
 */
public record PendingMessage(UUID id, String channel, String contentType, byte[] payload, Instant arrivedAt,
                             String idempotencyKey, Map<String, String> sentHeaders, Traceparent traceparent) {

    public PendingMessage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(arrivedAt, "arrivedAt");
        sentHeaders = sentHeaders == null ? Map.of() : sentHeaders;
    }

    /** A message without a trace context. */
    public PendingMessage(UUID id, String channel, String contentType, byte[] payload, Instant arrivedAt,
                          String idempotencyKey, Map<String, String> sentHeaders) {
        this(id, channel, contentType, payload, arrivedAt, idempotencyKey, sentHeaders, null);
    }

    /** A message sent without headers, as over TCP. */
    public PendingMessage(UUID id, String channel, String contentType, byte[] payload, Instant arrivedAt,
                          String idempotencyKey) {
        this(id, channel, contentType, payload, arrivedAt, idempotencyKey, Map.of(), null);
    }
}
