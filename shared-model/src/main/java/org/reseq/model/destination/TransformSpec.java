package org.reseq.model.destination;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/** One step of a destination's transform chain, as configured through the admin API. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = TransformSpec.Delay.class, name = "delay"),
        @JsonSubTypes.Type(value = TransformSpec.Http.class, name = "http"),
        @JsonSubTypes.Type(value = TransformSpec.Jsonata.class, name = "jsonata"),
        @JsonSubTypes.Type(value = TransformSpec.ContentType.class, name = "content-type")
})
public sealed interface TransformSpec {

    /** Adds each invalid field to {@code violations}, its name prefixed with {@code path}. */
    void validate(String path, List<Violation> violations);

    /**
     * Waits a random time in [minMs, maxMs]: simulated processing for demos and load tests.
     *
     * @param minMs shortest wait
     * @param maxMs longest wait
     */
    record Delay(Long minMs, Long maxMs) implements TransformSpec {
        static final long LIMIT_MS = 3_600_000;

        public Delay {
            minMs = minMs == null ? 0L : minMs;
            maxMs = maxMs == null ? minMs : maxMs;
        }

        @Override
        public void validate(String path, List<Violation> violations) {
            if (minMs < 0 || minMs > LIMIT_MS) {
                violations.add(new Violation(path + ".minMs", "must be between 0 and " + LIMIT_MS));
            }
            if (maxMs < minMs || maxMs > LIMIT_MS) {
                violations.add(new Violation(path + ".maxMs", "must be between minMs and " + LIMIT_MS));
            }
        }
    }

    /**
     * POSTs the payload to {@code url}; a 2xx response body becomes the new payload.
     *
     * @param url where the transform runs
     * @param timeoutMs how long to wait for the answer
     */
    record Http(String url, Long timeoutMs) implements TransformSpec {
        static final long DEFAULT_TIMEOUT_MS = 5_000;

        public Http {
            timeoutMs = timeoutMs == null ? DEFAULT_TIMEOUT_MS : timeoutMs;
        }

        @Override
        public void validate(String path, List<Violation> violations) {
            Violation.requireHttpUrl(path + ".url", url, violations);
            if (timeoutMs < 1 || timeoutMs > 600_000) {
                violations.add(new Violation(path + ".timeoutMs", "must be between 1 and 600000"));
            }
        }
    }

    /**
     * Evaluates a JSONata expression over the JSON payload; the result becomes the new payload,
     * as {@code application/json}. Checked by parsing it with {@link JsonataExpressions}.
     *
     * @param expression the JSONata expression
     */
    record Jsonata(String expression) implements TransformSpec {

        @Override
        public void validate(String path, List<Violation> violations) {
            try {
                JsonataExpressions.parse(expression);
            } catch (IllegalArgumentException e) {
                violations.add(new Violation(path + ".expression", e.getMessage()));
            }
        }
    }

    /**
     * Sets the payload's content type and keeps its bytes.
     *
     * @param contentType a media type, such as {@code application/vnd.orders+json}
     */
    record ContentType(String contentType) implements TransformSpec {

        @Override
        public void validate(String path, List<Violation> violations) {
            if (contentType == null || contentType.isBlank()) {
                violations.add(new Violation(path + ".contentType", "is required"));
            } else if (!MediaTypes.isValid(contentType)) {
                violations.add(new Violation(path + ".contentType", "must be a media type such as"
                        + " application/vnd.example+json, at most " + MediaTypes.MAX_LENGTH + " characters"));
            }
        }
    }
}
