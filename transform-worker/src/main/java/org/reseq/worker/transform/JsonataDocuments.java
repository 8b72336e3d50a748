package org.reseq.worker.transform;

import com.dashjoin.jsonata.Jsonata;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.reseq.transform.PermanentTransformException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Converts between JSON bytes and the values the JSONata library evaluates: maps, lists,
 * strings, numbers, booleans, and {@link Jsonata#NULL_VALUE} for JSON's {@code null} (a Java
 * {@code null} means "undefined" there). Stateless and thread-safe.
 */
final class JsonataDocuments {

    /** Integers beyond this are not exact as doubles, which is what JSONata computes with. */
    private static final double EXACT_INTEGER_LIMIT = 9_007_199_254_740_992d;

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonataDocuments() {
    }

    /**
     * Reads a payload as JSON.
     *
     * @throws PermanentTransformException when it is not JSON: every attempt would fail alike
     */
    static Object read(byte[] payload) {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(payload);
        } catch (JacksonException e) {
            throw new PermanentTransformException("jsonata transform needs a JSON payload: "
                    + e.getOriginalMessage());
        }
        if (tree == null || tree.isMissingNode()) {
            throw new PermanentTransformException("jsonata transform needs a JSON payload: the payload is empty");
        }
        return toValue(tree);
    }

    /**
     * Writes an evaluation's result as JSON. Undefined values inside an object are left out, as
     * JSONata's own JSON output does.
     *
     * @throws PermanentTransformException when the result is undefined, or holds something JSON
     *     cannot represent: a function, a regular expression, a number that is not finite
     */
    static byte[] write(Object result) {
        if (result == null) {
            throw new PermanentTransformException("jsonata transform: the expression gave no result (undefined)"
                    + " for this payload");
        }
        return MAPPER.writeValueAsBytes(toNode(result));
    }

    private static Object toValue(JsonNode node) {
        if (node.isObject()) {
            Map<String, Object> object = new LinkedHashMap<>();
            node.properties().forEach(property -> object.put(property.getKey(), toValue(property.getValue())));
            return object;
        }
        if (node.isArray()) {
            List<Object> array = new ArrayList<>(node.size());
            node.values().forEach(element -> array.add(toValue(element)));
            return array;
        }
        if (node.isString()) {
            return node.stringValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.longValue();
        }
        if (node.isNumber()) {
            double value = node.doubleValue();
            if (!Double.isFinite(value)) {
                throw new PermanentTransformException("jsonata transform: the payload's number " + node
                        + " is out of range");
            }
            return value;
        }
        return Jsonata.NULL_VALUE;
    }

    private static JsonNode toNode(Object value) {
        return switch (value) {
            case null -> throw new IllegalStateException("undefined values are left out before this");
            case Map<?, ?> map -> {
                ObjectNode object = NODES.objectNode();
                map.forEach((key, member) -> {
                    if (member != null) {
                        object.set(String.valueOf(key), toNode(member));
                    }
                });
                yield object;
            }
            case List<?> list -> {
                ArrayNode array = NODES.arrayNode(list.size());
                list.forEach(element -> array.add(element == null ? NODES.nullNode() : toNode(element)));
                yield array;
            }
            case String text -> NODES.stringNode(text);
            case Boolean flag -> NODES.booleanNode(flag);
            case Integer number -> NODES.numberNode(number);
            case Long number -> NODES.numberNode(number);
            case BigInteger number -> NODES.numberNode(number);
            case BigDecimal number -> NODES.numberNode(number);
            case Number number -> toNode(number.doubleValue());
            default -> {
                if (value == Jsonata.NULL_VALUE) {
                    yield NODES.nullNode();
                }
                throw new PermanentTransformException("jsonata transform: the result is not representable as JSON:"
                        + " it holds a " + describe(value));
            }
        };
    }

    private static JsonNode toNode(double number) {
        if (!Double.isFinite(number)) {
            throw new PermanentTransformException("jsonata transform: the result is not representable as JSON:"
                    + " it holds the number " + number);
        }
        // JSONata has one number type; 3.0 is written as 3, as JSONata writes it.
        if (number == Math.rint(number) && Math.abs(number) < EXACT_INTEGER_LIMIT) {
            return NODES.numberNode((long) number);
        }
        return NODES.numberNode(number);
    }

    private static String describe(Object value) {
        // The library's own types in a result are its functions: lambdas, built-ins, partial applications.
        if (value.getClass().getName().startsWith("com.dashjoin.jsonata.")) {
            return "function";
        }
        if (value instanceof java.util.regex.Pattern) {
            return "regular expression";
        }
        return value.getClass().getSimpleName();
    }
}
