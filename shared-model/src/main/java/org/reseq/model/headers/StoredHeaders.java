package org.reseq.model.headers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The travelling headers of a message as they are stored in PostgreSQL ({@code message.headers},
 * {@code dead_letter.headers}, both {@code jsonb}): an array of {@code [name, value]} pairs.
 * An array because {@code jsonb} keeps the order of an array but not of an object's keys, and the
 * headers travel in the channel's order. An object (the column's default {@code '{}'}, on every
 * message stored before headers travelled) reads as its entries.
 *
 * <p>Stateless and thread-safe.
 */
public final class StoredHeaders {

    /** No headers, as stored. */
    public static final String NONE = "[]";

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private StoredHeaders() {
    }

    public static String write(Map<String, String> headers) {
        if (headers == null || headers.isEmpty()) {
            return NONE;
        }
        List<List<String>> pairs = new ArrayList<>(headers.size());
        headers.forEach((name, value) -> pairs.add(List.of(name, value)));
        return MAPPER.writeValueAsString(pairs);
    }

    /**
     * @param json as stored; null reads as no headers
     * @throws IllegalArgumentException when it is neither an array of pairs of strings nor an object
     *         of strings
     */
    public static Map<String, String> read(String json) {
        if (json == null || json.isBlank()) {
            return Map.of();
        }
        JsonNode node = MAPPER.readTree(json);
        Map<String, String> headers = new LinkedHashMap<>();
        if (node.isArray()) {
            for (JsonNode pair : node) {
                if (!pair.isArray() || pair.size() != 2 || !pair.get(0).isString() || !pair.get(1).isString()) {
                    throw new IllegalArgumentException("Stored headers are not [name, value] pairs: " + json);
                }
                headers.put(pair.get(0).asString(), pair.get(1).asString());
            }
        } else if (node.isObject()) {
            for (Map.Entry<String, JsonNode> entry : node.properties()) {
                if (!entry.getValue().isString()) {
                    throw new IllegalArgumentException("Stored header " + entry.getKey() + " is not a string");
                }
                headers.put(entry.getKey(), entry.getValue().asString());
            }
        } else {
            throw new IllegalArgumentException("Stored headers are neither an array nor an object: " + json);
        }
        return headers;
    }
}
