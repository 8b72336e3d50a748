package org.reseq.egress.delivery.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.core5.http.Header;
import org.junit.jupiter.api.Test;
import org.reseq.egress.delivery.Delivery;
import org.reseq.egress.delivery.RetryGuard;
import org.reseq.model.destination.DestinationConfig;
import org.reseq.model.destination.DestinationType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class BatchBodyTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void eachMessageIsAnObjectInSequenceOrderWithJsonBodiesAsTheyAreAndOtherBytesInBase64() {
        byte[] binary = {0, (byte) 0xff, 10, 13};
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Correlation-Id", "c-1");
        headers.put("Authorization", "Bearer stolen"); // never travels, in a batch neither
        List<Delivery> batch = List.of(
                delivery(7, "application/json; charset=utf-8", "{\"total\": 12.5}".getBytes(StandardCharsets.UTF_8),
                        headers),
                delivery(8, "application/vnd.order+json", "[1, 2]".getBytes(StandardCharsets.UTF_8), Map.of()),
                delivery(9, "application/json", "{\"cut\": ".getBytes(StandardCharsets.UTF_8), Map.of()),
                delivery(10, "application/octet-stream", binary, Map.of()));

        batch = List.of(batch.get(0).traced("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"),
                batch.get(1), batch.get(2), batch.get(3));
        JsonNode body = JSON.readTree(BatchBody.encode(batch));

        assertThat(body.isArray()).isTrue();
        assertThat(body.size()).isEqualTo(4);
        JsonNode first = body.get(0);
        assertThat(first.get("sequence").asLong()).isEqualTo(7);
        assertThat(first.get("messageId").asString()).isEqualTo(batch.getFirst().messageId().toString());
        assertThat(first.get("idempotencyKey").asString()).isEqualTo("orders:7");
        assertThat(first.get("contentType").asString()).isEqualTo("application/json; charset=utf-8");
        assertThat(first.get("body").get("total").asDouble()).isEqualTo(12.5);
        assertThat(first.get("headers").propertyNames()).containsExactly("X-Correlation-Id");
        assertThat(first.get("traceparent").asString())
                .isEqualTo("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        assertThat(body.get(1).has("traceparent")).isFalse();
        assertThat(body.get(1).get("body").isArray()).isTrue();
        assertThat(body.get(2).has("body")).as("declared JSON but cut short").isFalse();
        assertThat(Base64.getDecoder().decode(body.get(2).get("bodyBase64").asString()))
                .asString(StandardCharsets.UTF_8).isEqualTo("{\"cut\": ");
        assertThat(Base64.getDecoder().decode(body.get(3).get("bodyBase64").asString())).isEqualTo(binary);
        assertThat(body.get(3).has("headers")).isFalse();
    }

    @Test
    void theRequestNamesTheRunItCarriesAndKeepsTheDestinationsOwnHeaders() {
        DestinationConfig config = new DestinationConfig(DestinationType.HTTP, "http://127.0.0.1:9/orders", null,
                null, null, null, List.of(), null, null, null, null, null, null, null, Map.of("Authorization", "Bearer r"));
        List<Delivery> batch = List.of(delivery(3, "text/plain", "a".getBytes(), Map.of()),
                delivery(4, "text/plain", "b".getBytes(), Map.of()));

        HttpPost request = HttpDeliveryChannel.batchRequest(config, batch, BatchBody.encode(batch), RetryGuard.always());

        assertThat(Arrays.stream(request.getHeaders()).map(Header::getName)).containsExactly("Content-Type",
                "Reseq-Destination", "Reseq-Epoch", "Reseq-First-Sequence", "Reseq-Last-Sequence", "Reseq-Batch-Size",
                "Authorization");
        assertThat(request.getFirstHeader("Content-Type").getValue()).isEqualTo("application/json");
        assertThat(request.getFirstHeader("Reseq-First-Sequence").getValue()).isEqualTo("3");
        assertThat(request.getFirstHeader("Reseq-Last-Sequence").getValue()).isEqualTo("4");
        assertThat(request.getFirstHeader("Reseq-Batch-Size").getValue()).isEqualTo("2");
        assertThat(request.getFirstHeader("Reseq-Epoch").getValue()).isEqualTo("5");
    }

    private static Delivery delivery(long sequence, String contentType, byte[] payload, Map<String, String> headers) {
        return new Delivery("orders", sequence, UUID.nameUUIDFromBytes(Long.toString(sequence).getBytes()), contentType,
                payload, headers, false, 5);
    }
}
