package org.reseq.transform;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link Transform} returns. {@link TransformRequest#reply} keeps the request's headers.
 *
 * @param payload the new payload bytes
 * @param contentType the new payload's content type
 * @param headers the message's travelling headers from now on, in order: the next steps get
 *     them, and HTTP destinations receive them. Names must be HTTP tokens and must not be headers
 *     the delivery sets itself; a response that breaks this fails the message for good.
 */
public record TransformResponse(byte[] payload, String contentType, Map<String, String> headers) {

    public TransformResponse {
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(contentType, "contentType");
        headers = headers == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }
}
