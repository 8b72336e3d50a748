package org.reseq.egress.delivery.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.reseq.egress.delivery.Delivery;
import org.reseq.model.destination.DestinationConfig;

class HttpDeliveryChannelTests {

    private final DestinationConfig config = DestinationConfig.http("http://127.0.0.1:9/orders", List.of());

    @Test
    void requestCarriesTheContractHeadersAndTheDestinationTimeout() {
        UUID messageId = UUID.fromString("0192f7c8-0000-7000-8000-000000000001");
        Delivery delivery = new Delivery("orders", 41, messageId, "application/json", "{}".getBytes());

        HttpRequest request = HttpDeliveryChannel.request(config, delivery);

        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.uri()).hasToString("http://127.0.0.1:9/orders");
        assertThat(request.timeout()).contains(Duration.ofMillis(config.deliveryTimeoutMs()));
        assertThat(request.headers().map()).containsOnlyKeys("Content-Type", "Reseq-Destination", "Reseq-Sequence",
                "Reseq-Message-Id", "Idempotency-Key");
        assertThat(request.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(request.headers().firstValue("Reseq-Destination")).contains("orders");
        assertThat(request.headers().firstValue("Reseq-Sequence")).contains("41");
        assertThat(request.headers().firstValue("Reseq-Message-Id")).contains(messageId.toString());
        assertThat(request.headers().firstValue("Idempotency-Key")).contains("orders:41");
        assertThat(request.bodyPublisher().orElseThrow().contentLength()).isEqualTo(2);
    }

    @Test
    void aRedeliveryIsMarkedAndKeepsItsIdempotencyKey() {
        Delivery delivery = new Delivery("orders", 7, UUID.randomUUID(), "text/plain", "x".getBytes(), true);

        HttpRequest request = HttpDeliveryChannel.request(config, delivery);

        assertThat(request.headers().firstValue("Reseq-Redelivery")).contains("true");
        assertThat(request.headers().firstValue("Idempotency-Key")).contains("orders:7");
    }

    @Test
    void aMissingContentTypeIsSentAsOctetStream() {
        Delivery delivery = new Delivery("orders", 1, UUID.randomUUID(), "", new byte[0]);

        assertThat(HttpDeliveryChannel.request(config, delivery).headers().firstValue("Content-Type"))
                .contains("application/octet-stream");
    }
}
