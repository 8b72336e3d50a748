package org.reseq.model.redis;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.reseq.model.tracing.Traceparent;

/**
 * One delivery to transform, as the resequencer puts it on the work stream.
 *
 * @param destination the destination it is bound for
 * @param incarnation the id of the destination's incarnation it was dispatched for: a result is
 *        stored only while that incarnation's keys exist ({@link Incarnation})
 * @param sequence its sequence within that destination
 * @param messageId the message it came from
 * @param contentType the payload's content type
 * @param payload the message's payload
 * @param headers the sender headers its channel keeps, in the channel's order (see
 *        {@link org.reseq.model.headers.TravellingHeaders})
 * @param configJson the destination's configuration (JSON) when it was dispatched: the chain to run
 * @param dispatchedAtMillis when it was dispatched (epoch milliseconds)
 * @param traceparent the message's trace context as stored with it, or null when it has none
 */
public record WorkItem(
        String destination,
        int incarnation,
        long sequence,
        UUID messageId,
        String contentType,
        byte[] payload,
        Map<String, String> headers,
        String configJson,
        long dispatchedAtMillis,
        Traceparent traceparent) {

    public WorkItem {
        headers = headers == null || headers.isEmpty() ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    /** An item without a trace context. */
    public WorkItem(String destination, int incarnation, long sequence, UUID messageId, String contentType,
                    byte[] payload, Map<String, String> headers, String configJson, long dispatchedAtMillis) {
        this(destination, incarnation, sequence, messageId, contentType, payload, headers, configJson,
                dispatchedAtMillis, null);
    }

    /** An item without headers. */
    public WorkItem(String destination, int incarnation, long sequence, UUID messageId, String contentType,
                    byte[] payload, String configJson, long dispatchedAtMillis) {
        this(destination, incarnation, sequence, messageId, contentType, payload, Map.of(), configJson,
                dispatchedAtMillis);
    }

    /** The incarnation it was dispatched for. */
    public Incarnation destinationIncarnation() {
        return new Incarnation(destination, incarnation);
    }
}
