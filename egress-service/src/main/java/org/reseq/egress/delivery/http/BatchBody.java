package org.reseq.egress.delivery.http;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.reseq.egress.delivery.Delivery;
import org.reseq.model.headers.TravellingHeaders;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The body of a batched delivery: a JSON array with one object per message, in sequence order,
 * {@code {sequence, messageId, idempotencyKey, contentType, traceparent?, headers?, body | bodyBase64}}. A
 * payload whose content type is JSON ({@code application/json} or {@code +json}) and that parses
 * as JSON goes as {@code body}, as it is; every other payload as {@code bodyBase64}, so a receiver
 * gets its bytes back unchanged. The mirror of what batch ingest takes.
 *
 * <p>Thread-safe (stateless).
 */
final class BatchBody {

    static final String CONTENT_TYPE = "application/json";

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS) // "{} and more" is not JSON
            .build();

    private BatchBody() {
    }

    static byte[] encode(List<Delivery> batch) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(estimate(batch));
        try (JsonGenerator json = MAPPER.createGenerator(out)) {
            json.writeStartArray();
            for (Delivery delivery : batch) {
                write(json, delivery);
            }
            json.writeEndArray();
        }
        return out.toByteArray();
    }

    private static void write(JsonGenerator json, Delivery delivery) {
        json.writeStartObject();
        json.writeNumberProperty("sequence", delivery.sequence());
        json.writeStringProperty("messageId", delivery.messageId().toString());
        json.writeStringProperty("idempotencyKey", delivery.idempotencyKey());
        if (delivery.contentType() != null && !delivery.contentType().isBlank()) {
            json.writeStringProperty("contentType", delivery.contentType());
        }
        if (delivery.traceparent() != null) {
            json.writeStringProperty("traceparent", delivery.traceparent());
        }
        writeHeaders(json, delivery.headers());
        JsonNode body = jsonBody(delivery);
        if (body != null) {
            json.writeName("body");
            json.writeTree(body);
        } else {
            json.writeName("bodyBase64");
            json.writeBinary(delivery.payload() == null ? new byte[0] : delivery.payload());
        }
        json.writeEndObject();
    }

    /** As a single delivery sends them: only names and values that may travel. */
    private static void writeHeaders(JsonGenerator json, Map<String, String> headers) {
        boolean started = false;
        for (Map.Entry<String, String> header : headers.entrySet()) {
            String name = header.getKey();
            if (!TravellingHeaders.maySend(name, header.getValue())) {
                continue;
            }
            if (!started) {
                json.writeName("headers");
                json.writeStartObject();
                started = true;
            }
            json.writeStringProperty(name, header.getValue());
        }
        if (started) {
            json.writeEndObject();
        }
    }

    /** The payload as a JSON value when it is declared and parses as JSON, else null. */
    private static JsonNode jsonBody(Delivery delivery) {
        if (!isJson(delivery.contentType()) || delivery.payload() == null || delivery.payload().length == 0) {
            return null;
        }
        try {
            JsonNode node = MAPPER.readTree(delivery.payload());
            return node == null || node.isMissingNode() ? null : node;
        } catch (JacksonException e) {
            return null; // declared JSON but is not: its bytes go unchanged, as base64
        }
    }

    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return type.equals("application/json") || (type.startsWith("application/") && type.endsWith("+json"));
    }

    private static int estimate(List<Delivery> batch) {
        long bytes = 2;
        for (Delivery delivery : batch) {
            bytes += 160 + (delivery.payload() == null ? 0 : delivery.payload().length * 4L / 3);
        }
        return (int) Math.min(bytes, 64L * 1024 * 1024);
    }
}
