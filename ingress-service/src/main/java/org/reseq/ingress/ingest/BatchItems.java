package org.reseq.ingress.ingest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.reseq.ingress.web.ApiException;
import org.reseq.model.destination.Violation;
import org.springframework.http.MediaType;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the body of a batch request into its items, all or none: a JSON array, or NDJSON (one
 * item a line, blank lines skipped). Each item is {@code {"body": <any JSON>}} (stored as its
 * compact JSON, {@code application/json}) or {@code {"bodyBase64": "...", "contentType": "..."}}
 * (the decoded bytes, {@code application/octet-stream} without a content type), each with an
 * optional {@code idempotencyKey}. Every invalid item is named by its index ({@code [3].body})
 * in one {@code 400}; nothing of a batch with an invalid item is stored.
 *
 * <p>Stateless apart from its limits; safe on any thread.
 */
final class BatchItems {

    static final MediaType NDJSON = MediaType.parseMediaType("application/x-ndjson");
    private static final Set<String> FIELDS = Set.of("body", "bodyBase64", "contentType", "idempotencyKey");

    /**
     * One item as the sender gave it.
     *
     * @param idempotencyKey null when the item has none
     */
    record Item(byte[] payload, String contentType, String idempotencyKey) {
    }

    private final JsonMapper json;
    private final int maxItems;
    private final long maxPayloadBytes;
    private final int maxKeyLength;

    BatchItems(JsonMapper json, int maxItems, long maxPayloadBytes, int maxKeyLength) {
        this.json = json;
        this.maxItems = maxItems;
        this.maxPayloadBytes = maxPayloadBytes;
        this.maxKeyLength = maxKeyLength;
    }

    /** The items of a body sent as {@code contentType}; {@code 400} naming every invalid one. */
    List<Item> read(byte[] body, MediaType contentType) {
        List<JsonNode> nodes = NDJSON.isCompatibleWith(contentType) ? lines(body) : array(body);
        if (nodes.isEmpty() || nodes.size() > maxItems) {
            throw ApiException.invalid(List.of(new Violation("body",
                    "must hold 1 to " + maxItems + " items (it holds " + nodes.size() + ")")));
        }
        List<Item> items = new ArrayList<>(nodes.size());
        List<Violation> violations = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            Item item = item("[" + i + "]", nodes.get(i), violations);
            if (item != null) {
                items.add(item);
            }
        }
        if (!violations.isEmpty()) {
            throw ApiException.invalid(violations);
        }
        return items;
    }

    private List<JsonNode> array(byte[] body) {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JacksonException e) {
            throw ApiException.invalid(List.of(new Violation("body", "is not valid JSON")));
        }
        if (root == null || !root.isArray()) {
            throw ApiException.invalid(List.of(new Violation("body",
                    "must be a JSON array of items (or application/x-ndjson, one item a line)")));
        }
        List<JsonNode> nodes = new ArrayList<>(root.size());
        root.forEach(nodes::add);
        return nodes;
    }

    private List<JsonNode> lines(byte[] body) {
        List<JsonNode> nodes = new ArrayList<>();
        List<Violation> violations = new ArrayList<>();
        for (String line : new String(body, StandardCharsets.UTF_8).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            try {
                nodes.add(json.readTree(line));
            } catch (JacksonException e) {
                violations.add(new Violation("[" + nodes.size() + "]", "is not valid JSON"));
                nodes.add(null);
            }
        }
        if (!violations.isEmpty()) {
            throw ApiException.invalid(violations);
        }
        return nodes;
    }

    private Item item(String field, JsonNode node, List<Violation> violations) {
        if (node == null || !node.isObject()) {
            violations.add(new Violation(field, "must be an object with body or bodyBase64"));
            return null;
        }
        int before = violations.size();
        node.propertyNames().forEach(name -> {
            if (!FIELDS.contains(name)) {
                violations.add(new Violation(field + "." + name, "is not a known field"));
            }
        });
        boolean hasBody = node.has("body");
        boolean hasBase64 = node.has("bodyBase64");
        if (hasBody == hasBase64) {
            violations.add(new Violation(field, "must have exactly one of body and bodyBase64"));
            return null;
        }
        String key = text(field + ".idempotencyKey", node.get("idempotencyKey"), violations);
        if (key != null && (key.isEmpty() || key.length() > maxKeyLength)) {
            violations.add(new Violation(field + ".idempotencyKey", "must be 1 to " + maxKeyLength + " characters"));
        }
        byte[] payload;
        String contentType;
        if (hasBody) {
            if (node.has("contentType")) {
                violations.add(new Violation(field + ".contentType",
                        "goes with bodyBase64 only: a JSON body is application/json"));
            }
            payload = json.writeValueAsBytes(node.get("body"));
            contentType = MediaType.APPLICATION_JSON_VALUE;
        } else {
            payload = decode(field + ".bodyBase64", node.get("bodyBase64"), violations);
            String declared = text(field + ".contentType", node.get("contentType"), violations);
            contentType = declared == null || declared.isBlank() ? MediaType.APPLICATION_OCTET_STREAM_VALUE : declared;
        }
        if (payload != null && payload.length > maxPayloadBytes) {
            violations.add(new Violation(field + (hasBody ? ".body" : ".bodyBase64"),
                    "is over the payload limit of " + maxPayloadBytes + " bytes"));
        }
        return violations.size() == before ? new Item(payload, contentType, key) : null;
    }

    private static String text(String field, JsonNode value, List<Violation> violations) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString()) {
            violations.add(new Violation(field, "must be a string"));
            return null;
        }
        return value.asString();
    }

    private static byte[] decode(String field, JsonNode value, List<Violation> violations) {
        if (value == null || value.isNull()) {
            violations.add(new Violation(field, "must be base64 text"));
            return null;
        }
        String text = text(field, value, violations);
        if (text == null) {
            return null;
        }
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            violations.add(new Violation(field, "is not valid base64"));
            return null;
        }
    }
}
