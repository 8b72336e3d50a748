package org.reseq.model.destination;

import java.util.List;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads and writes {@link DestinationConfig} as JSON, strictly: unknown fields and values of the
 * wrong type are errors that name the field. A transform type no built-in has is read as a
 * {@link TransformSpec.Plugin} step, whose type and fields the admin API checks against what
 * the workers publish.
 */
public final class DestinationConfigJson {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private DestinationConfigJson() {
    }

    /**
     * Parses a configuration without validating its values (see {@link DestinationConfig#violations()}).
     *
     * @throws InvalidConfigException when the JSON is malformed or does not fit the schema
     */
    public static DestinationConfig read(byte[] json) {
        try {
            DestinationConfig config = MAPPER.readValue(json, DestinationConfig.class);
            if (config == null) {
                throw new InvalidConfigException(List.of(new Violation("body", "must be a JSON object")));
            }
            return config;
        } catch (DatabindException e) {
            throw new InvalidConfigException(List.of(new Violation(fieldOf(e), problemOf(e))));
        } catch (JacksonException e) {
            throw new InvalidConfigException(List.of(new Violation("body", "is not valid JSON")));
        }
    }

    /** Parses a configuration stored by {@link #write}. */
    public static DestinationConfig read(String json) {
        return read(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    public static String write(DestinationConfig config) {
        return MAPPER.writeValueAsString(config);
    }

    private static String fieldOf(DatabindException e) {
        String field = e.getPath().stream()
                .map(ref -> ref.getPropertyName() != null ? "." + ref.getPropertyName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining());
        field = field.startsWith(".") ? field.substring(1) : field;
        return field.isEmpty() ? "body" : field;
    }

    private static String problemOf(DatabindException e) {
        if (e instanceof tools.jackson.databind.exc.UnrecognizedPropertyException) {
            return "is not a known field";
        }
        return "has the wrong type or format";
    }

    /** A configuration that could not be parsed, with the offending fields. */
    public static final class InvalidConfigException extends RuntimeException {
        private final transient List<Violation> violations;

        public InvalidConfigException(List<Violation> violations) {
            super(violations.toString());
            this.violations = List.copyOf(violations);
        }

        public List<Violation> violations() {
            return violations;
        }
    }
}
