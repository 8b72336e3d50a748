package org.reseq.model.destination;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.reseq.model.headers.TravellingHeaders;

/**
 * One step of a destination's transform chain, as configured through the admin API: a built-in
 * type, or a {@link Plugin} type that workers load from jars.
 *
 * <p>Every step writes its {@code type} itself ({@code EXISTING_PROPERTY}): built-ins name their
 * constant type, a plugin step the type it was read with; a type no built-in has becomes a
 * {@link Plugin}, checked against what the workers publish when the destination is saved.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.EXISTING_PROPERTY, property = "type",
        visible = true, defaultImpl = TransformSpec.Plugin.class)
@JsonPropertyOrder("type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = TransformSpec.Delay.class, name = "delay"),
        @JsonSubTypes.Type(value = TransformSpec.Http.class, name = "http"),
        @JsonSubTypes.Type(value = TransformSpec.Jsonata.class, name = "jsonata"),
        @JsonSubTypes.Type(value = TransformSpec.ContentType.class, name = "content-type"),
        @JsonSubTypes.Type(value = TransformSpec.Headers.class, name = "headers")
})
public sealed interface TransformSpec {

    /** The names of the built-in types; no plugin may take one. */
    Set<String> BUILT_IN_TYPES = Set.of("delay", "http", "jsonata", "content-type", "headers");

    /** The type name this step was configured with. */
    @JsonProperty("type")
    String type();

    /** Adds each invalid field to {@code violations}, its name prefixed with {@code path}. */
    void validate(String path, List<Violation> violations);

    /**
     * Waits a random time in [minMs, maxMs]: simulated processing for demos and load tests.
     *
     * @param minMs shortest wait
     * @param maxMs longest wait
     */
    @JsonIgnoreProperties(value = "type", allowGetters = true)
    record Delay(Long minMs, Long maxMs) implements TransformSpec {

        @Override
        public String type() {
            return "delay";
        }
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
    @JsonIgnoreProperties(value = "type", allowGetters = true)
    record Http(String url, Long timeoutMs) implements TransformSpec {

        @Override
        public String type() {
            return "http";
        }
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
    @JsonIgnoreProperties(value = "type", allowGetters = true)
    record Jsonata(String expression) implements TransformSpec {

        @Override
        public String type() {
            return "jsonata";
        }

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
    @JsonIgnoreProperties(value = "type", allowGetters = true)
    record ContentType(String contentType) implements TransformSpec {

        @Override
        public String type() {
            return "content-type";
        }

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

    /**
     * Changes the message's travelling headers: first {@code copy}, then {@code set}, then
     * {@code remove}. Header names follow the rules of a channel's {@code keepHeaders}
     * ({@link TravellingHeaders}).
     *
     * @param set header name to its new value: a string as it is, or {@code {"jsonata": "..."}}, an
     *     expression evaluated like a {@code jsonata} step's (over the JSON payload, or nothing when
     *     the payload is not JSON); a result that is undefined leaves the header out
     * @param copy new header name to the name of the header whose value it takes (if present)
     * @param remove names of headers to drop
     */
    @JsonIgnoreProperties(value = "type", allowGetters = true)
    record Headers(Map<String, Object> set, Map<String, String> copy, List<String> remove) implements TransformSpec {

        /** The one member of an expression value. */
        public static final String EXPRESSION = "jsonata";

        public Headers {
            set = set == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(set));
            copy = copy == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(copy));
            remove = remove == null ? List.of() : List.copyOf(remove);
        }

        @Override
        public String type() {
            return "headers";
        }

        /** The expression of a {@code set} value, or null when the value is a plain string. */
        public static String expressionOf(Object value) {
            return value instanceof Map<?, ?> map && map.get(EXPRESSION) instanceof String expression ? expression
                    : null;
        }

        @Override
        public void validate(String path, List<Violation> violations) {
            if (set.isEmpty() && copy.isEmpty() && remove.isEmpty()) {
                violations.add(new Violation(path, "must set, copy or remove at least one header"));
            }
            if (set.size() + copy.size() + remove.size() > TravellingHeaders.MAX_NAMES * 2) {
                violations.add(new Violation(path, "names more than " + TravellingHeaders.MAX_NAMES * 2 + " headers"));
                return;
            }
            set.forEach((name, value) -> {
                String field = path + ".set." + name;
                TravellingHeaders.validateName(field, name, violations);
                if (value instanceof String literal) {
                    TravellingHeaders.validateValue(field, literal, violations);
                } else if (value instanceof Map<?, ?> map && map.size() == 1 && expressionOf(value) != null) {
                    try {
                        JsonataExpressions.parse(expressionOf(value));
                    } catch (IllegalArgumentException e) {
                        violations.add(new Violation(field + "." + EXPRESSION, e.getMessage()));
                    }
                } else {
                    violations.add(new Violation(field, "must be a string, or {\"" + EXPRESSION
                            + "\": \"<expression>\"}"));
                }
            });
            copy.forEach((name, from) -> {
                TravellingHeaders.validateName(path + ".copy." + name, name, violations);
                TravellingHeaders.validateName(path + ".copy." + name, from, violations);
            });
            for (int i = 0; i < remove.size(); i++) {
                String name = remove.get(i);
                if (name == null || !TravellingHeaders.isToken(name)) {
                    violations.add(new Violation(path + ".remove[" + i + "]", "must be a header name"));
                }
            }
        }
    }

    /**
     * A step of a type no built-in has: a plugin's, run by workers that load its jar. The
     * configuration is the step's other fields, checked against the JSON Schema the workers
     * publish for the type when the destination is saved (see the admin API), not here.
     *
     * @param type the plugin's type name
     * @param config the step's fields other than {@code type}, as JSON values
     */
    record Plugin(String type, @JsonAnySetter Map<String, Object> config) implements TransformSpec {

        /** What a type name may look like: {@code TransformFactory#type()}'s rule. */
        public static final Pattern TYPE_NAME = Pattern.compile("[a-z][a-z0-9.-]{0,63}");

        public Plugin {
            config = config == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(config));
        }

        @Override
        @JsonProperty("type")
        public String type() {
            return type;
        }

        @JsonAnyGetter
        public Map<String, Object> config() {
            return config;
        }

        @Override
        public void validate(String path, List<Violation> violations) {
            if (type == null || type.isBlank()) {
                violations.add(new Violation(path + ".type", "is required"));
            } else if (!TYPE_NAME.matcher(type).matches()) {
                violations.add(new Violation(path + ".type", "is not a known transform type (built-in: content-type,"
                        + " delay, headers, http, jsonata; a plugin's type is lower-case letters, digits, '-' and '.')"));
            }
        }
    }
}
