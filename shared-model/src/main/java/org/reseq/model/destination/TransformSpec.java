package org.reseq.model.destination;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/** One step of a destination's transform chain, as configured through the admin API. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = TransformSpec.Delay.class, name = "delay"),
        @JsonSubTypes.Type(value = TransformSpec.Http.class, name = "http")
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
}
