package org.reseq.model.destination;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A destination's configuration as the admin API takes it and PostgreSQL stores it (JSON).
 * Absent optional fields take their defaults in the constructor, so every reader sees the
 * same effective values.
 *
 * @param type HTTP or TCP
 * @param url the HTTP destination's URL
 * @param host the TCP destination's host
 * @param port the TCP destination's port
 * @param framing the TCP destination's framing
 * @param ack what a TCP destination answers per message
 * @param transforms the transform chain, run in order on each message
 * @param maxBatch most messages released or delivered in one batch
 * @param onFailure what happens to a delivery that failed for good
 * @param transformTimeoutMs longest time one attempt of the whole chain may take
 * @param transformAttempts attempts of the chain before the delivery failed for good
 * @param deliveryTimeoutMs longest wait for the destination to accept one message
 * @param maxBacklog when set, ingest to channels routing here answers 429 while the backlog
 *        (last sequence minus delivered) is above it; absent means no limit
 * @param tls whether a TCP destination is reached over TLS (default false), verified against
 *        the egress's trust material ({@code reseq.egress.tls.bundle}, else the JDK's)
 * @param headers extra request headers of an HTTP destination, such as an {@code Authorization}
 *        for the receiver; their values are secrets, never shown by the admin API
 * @param delivery one message per request, or batches ({@link DeliverySettings}); absent means
 *        one per request
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DestinationConfig(
        DestinationType type,
        String url,
        String host,
        Integer port,
        Framing framing,
        TcpAck ack,
        List<TransformSpec> transforms,
        Integer maxBatch,
        FailurePolicy onFailure,
        Long transformTimeoutMs,
        Integer transformAttempts,
        Long deliveryTimeoutMs,
        Long maxBacklog,
        Boolean tls,
        Map<String, String> headers,
        DeliverySettings delivery) {

    public static final int MAX_BATCH_LIMIT = 10_000;
    private static final DeliverySettings SINGLE = new DeliverySettings(null, null, null);

    public DestinationConfig {
        transforms = transforms == null ? List.of() : List.copyOf(transforms);
        maxBatch = maxBatch == null ? 100 : maxBatch;
        onFailure = onFailure == null ? FailurePolicy.BLOCK : onFailure;
        transformTimeoutMs = transformTimeoutMs == null ? 30_000L : transformTimeoutMs;
        transformAttempts = transformAttempts == null ? 3 : transformAttempts;
        deliveryTimeoutMs = deliveryTimeoutMs == null ? 10_000L : deliveryTimeoutMs;
        if (type == DestinationType.TCP && ack == null) {
            ack = TcpAck.NONE;
        }
        if (type == DestinationType.TCP && tls == null) {
            tls = false;
        }
        // Insertion order kept: headers are sent in the order the operator gave them.
        headers = headers == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    /** A configuration without {@code delivery} settings: one message per request. */
    public DestinationConfig(DestinationType type, String url, String host, Integer port, Framing framing,
                             TcpAck ack, List<TransformSpec> transforms, Integer maxBatch, FailurePolicy onFailure,
                             Long transformTimeoutMs, Integer transformAttempts, Long deliveryTimeoutMs,
                             Long maxBacklog, Boolean tls, Map<String, String> headers) {
        this(type, url, host, port, framing, ack, transforms, maxBatch, onFailure, transformTimeoutMs,
                transformAttempts, deliveryTimeoutMs, maxBacklog, tls, headers, null);
    }

    /** How messages are handed over: the {@code delivery} settings, or one per request when absent. */
    public DeliverySettings deliverySettings() {
        return delivery == null ? SINGLE : delivery;
    }

    /** An HTTP destination with defaults for everything else. */
    public static DestinationConfig http(String url, List<TransformSpec> transforms) {
        return new DestinationConfig(DestinationType.HTTP, url, null, null, null, null, transforms,
                null, null, null, null, null, null, null, null);
    }

    /** Every invalid field, empty when the configuration is valid. */
    public List<Violation> violations() {
        List<Violation> violations = new ArrayList<>();
        if (type == null) {
            violations.add(new Violation("type", "is required: HTTP or TCP"));
        } else if (type == DestinationType.HTTP) {
            Violation.requireHttpUrl("url", url, violations);
            notAllowed("host", host, violations);
            notAllowed("port", port, violations);
            notAllowed("framing", framing, violations);
            notAllowed("ack", ack, violations);
            notAllowed("tls", tls, violations);
            OutgoingHeaders.validate(headers, violations);
        } else {
            notAllowed("url", url, violations);
            if (host == null || host.isBlank()) {
                violations.add(new Violation("host", "is required for type TCP"));
            }
            if (port == null || port < 1 || port > 65_535) {
                violations.add(new Violation("port", "is required for type TCP: 1 to 65535"));
            }
            if (framing == null) {
                violations.add(new Violation("framing", "is required for type TCP: LINE or LENGTH_PREFIXED"));
            }
            notAllowed("headers", headers, violations);
        }
        for (int i = 0; i < transforms.size(); i++) {
            if (transforms.get(i) == null) {
                violations.add(new Violation("transforms[" + i + "]", "must be a transform object"));
            } else {
                transforms.get(i).validate("transforms[" + i + "]", violations);
            }
        }
        if (maxBatch < 1 || maxBatch > MAX_BATCH_LIMIT) {
            violations.add(new Violation("maxBatch", "must be between 1 and " + MAX_BATCH_LIMIT));
        }
        if (transformTimeoutMs < 1 || transformTimeoutMs > 3_600_000) {
            violations.add(new Violation("transformTimeoutMs", "must be between 1 and 3600000"));
        }
        if (transformAttempts < 1 || transformAttempts > 100) {
            violations.add(new Violation("transformAttempts", "must be between 1 and 100"));
        }
        if (deliveryTimeoutMs < 1 || deliveryTimeoutMs > 600_000) {
            violations.add(new Violation("deliveryTimeoutMs", "must be between 1 and 600000"));
        }
        if (maxBacklog != null && (maxBacklog < 1 || maxBacklog > 1_000_000_000L)) {
            violations.add(new Violation("maxBacklog", "must be between 1 and 1000000000 (absent: no limit)"));
        }
        if (delivery != null) {
            delivery.validate(violations);
        }
        return violations;
    }

    private void notAllowed(String field, Object value, List<Violation> violations) {
        if (value != null) {
            violations.add(new Violation(field, "is not allowed for type " + type));
        }
    }
}
