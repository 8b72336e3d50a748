package org.reseq.model.transform;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.reseq.model.destination.Violation;
import org.springframework.util.ConcurrentLruCache;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON Schema a plugin transform publishes for its configuration, and the check of a step's
 * configuration against it: each problem becomes a {@link Violation} naming the field, such as
 * {@code transforms[0].pattern}.
 *
 * <p>Schemas are draft 2020-12 unless they say otherwise with {@code $schema}. Nothing is fetched
 * from the network: a {@code $ref} must resolve within the schema (the validator loads remote
 * resources only when told to, and is not). Thread-safe; parsed schemas are cached by their text.
 */
public final class ConfigSchema {

    /** Schemas longer than this are refused: every ingress reads them on every save. */
    public static final int MAX_LENGTH = 65_536;

    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final ConcurrentLruCache<String, ConfigSchema> PARSED = new ConcurrentLruCache<>(256,
            ConfigSchema::new);
    /** Keywords whose error is about a member of the object it is reported at, named by the error. */
    private static final Set<String> MEMBER_KEYWORDS = Set.of("required", "additionalProperties",
            "unevaluatedProperties", "dependentRequired", "propertyNames");

    private final Schema schema;

    private ConfigSchema(String json) {
        if (json == null || json.isBlank()) {
            throw new IllegalArgumentException("the configuration schema is empty");
        }
        if (json.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("the configuration schema is over " + MAX_LENGTH + " characters");
        }
        try {
            this.schema = REGISTRY.getSchema(json, InputFormat.JSON);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the configuration schema is not a JSON Schema: " + e.getMessage(), e);
        }
    }

    /**
     * The schema in {@code json}, parsed once per text.
     *
     * @throws IllegalArgumentException when it is empty, too long or not a JSON Schema
     */
    public static ConfigSchema of(String json) {
        return PARSED.get(json);
    }

    /**
     * The problems of a step's configuration, each naming its field under {@code path}.
     *
     * @param path the step's field, such as {@code transforms[2]}; empty for fields named alone
     * @param config the step's fields other than {@code type}
     */
    public List<Violation> check(String path, Map<String, Object> config) {
        JsonNode instance = MAPPER.valueToTree(config);
        List<Violation> violations = new ArrayList<>();
        for (Error error : schema.validate(instance)) {
            violations.add(new Violation(field(path, error), message(error)));
        }
        return violations;
    }

    private static String field(String path, Error error) {
        StringBuilder field = new StringBuilder(path);
        NodePath location = error.getInstanceLocation();
        for (int i = 0; i < location.getNameCount(); i++) {
            Object element = location.getElement(i);
            field.append(element instanceof Integer index ? "[" + index + "]" : "." + element);
        }
        if (MEMBER_KEYWORDS.contains(error.getKeyword()) && error.getProperty() != null) {
            field.append('.').append(error.getProperty());
        }
        return field.length() > 0 && field.charAt(0) == '.' ? field.substring(1) : field.toString();
    }

    /** The validator's message without the location it starts with: the field says where. */
    private static String message(Error error) {
        String message = error.getMessage();
        String location = error.getInstanceLocation().toString();
        if (message.startsWith(location + ": ")) {
            message = message.substring(location.length() + 2);
        }
        return message;
    }
}
