package org.reseq.bench.send;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads the {@code deliveries} of a 202 answer: {@code {"deliveries":[{"destination","sequence"}]}}. */
final class AckParser {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private AckParser() {
    }

    static List<Assignment> assignments(String body) {
        JsonNode deliveries = JSON.readTree(body).path("deliveries");
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
