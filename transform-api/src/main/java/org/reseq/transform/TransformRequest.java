package org.reseq.transform;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * What a {@link Transform} receives: the payload and headers as the previous step left them, and
 * the delivery they belong to.
 *
 * @param payload the payload bytes; never modify them in place, other steps may share them
 * @param contentType the payload's content type; {@code application/octet-stream} when none is known
 * @param headers the message's travelling headers (the sender headers its channel keeps, as the
 *     previous steps left them), in order, unmodifiable; look one up with {@link #header}
 * @param destination the destination the delivery is bound for
 * @param sequence the delivery's sequence within that destination (1, 2, 3, ...)
 * @param messageId the message the delivery came from
 */
public record TransformRequest(byte[] payload, String contentType, Map<String, String> headers,
        String destination, long sequence, UUID messageId) {

    public TransformRequest {
        Objects.requireNonNull(payload, "payload");
        contentType = contentType == null || contentType.isBlank() ? "application/octet-stream" : contentType;
        headers = headers == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(messageId, "messageId");
    }

    /** The value of a travelling header, its name compared without regard to case, or {@code null}. */
    public String header(String name) {
        for (Map.Entry<String, String> header : headers.entrySet()) {
            if (header.getKey().equalsIgnoreCase(name)) {
                return header.getValue();
            }
        }
        return null;
    }

    /** A response with a new payload and content type, and this request's headers unchanged. */
    public TransformResponse reply(byte[] newPayload, String newContentType) {
        return new TransformResponse(newPayload, newContentType, headers);
    }

    /** The next step's request: this delivery with the previous step's response. */
    public TransformRequest with(TransformResponse response) {
        return new TransformRequest(response.payload(), response.contentType(), response.headers(), destination,
                sequence, messageId);
    }
}
