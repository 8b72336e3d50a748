package org.reseq.bench.send;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the {@code deliveries} of a 202 answer: {@code {"deliveries":[{"destination","sequence"}]}},
 * or of each receipt of a batch's: {@code {"receipts":[{"deliveries":[...]}, ...]}}.
 */
final class AckParser {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private AckParser() {
    }

    static List<Assignment> assignments(String body) {
        return assignments(JSON.readTree(body), body);
    }

    /** One list of assignments per receipt, in the batch's order. */
    static List<List<Assignment>> receipts(String body) {
        JsonNode receipts = JSON.readTree(body).path("receipts");
        if (!receipts.isArray() || receipts.isEmpty()) {
            throw new IllegalArgumentException("202 without receipts: " + body);
        }
        List<List<Assignment>> all = new ArrayList<>(receipts.size());
        for (JsonNode receipt : receipts) {
            all.add(assignments(receipt, body));
        }
        return all;
    }

    private static List<Assignment> assignments(JsonNode answer, String body) {
        JsonNode deliveries = answer.path("deliveries");
        if (!deliveries.isArray() || deliveries.isEmpty()) {
            throw new IllegalArgumentException("202 without deliveries: " + body);
        }
        List<Assignment> assignments = new ArrayList<>(deliveries.size());
        for (JsonNode delivery : deliveries) {
            assignments.add(new Assignment(delivery.path("destination").asString(),
                    delivery.path("sequence").asLong()));
        }
        return assignments;
    }
}
