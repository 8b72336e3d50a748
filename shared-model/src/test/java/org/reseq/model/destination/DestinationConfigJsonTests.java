package org.reseq.model.destination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DestinationConfigJsonTests {

    @Test
    void readsTheDocumentedExampleWithDefaults() {
        DestinationConfig config = read("""
                { "type": "HTTP", "url": "http://127.0.0.1:9000/orders",
                  "transforms": [ { "type": "delay", "minMs": 500, "maxMs": 1000 } ],
                  "maxBatch": 100, "onFailure": "BLOCK" }""");

        assertThat(config.violations()).isEmpty();
        assertThat(config.transforms()).containsExactly(new TransformSpec.Delay(500L, 1000L));
        assertThat(config.transformAttempts()).isEqualTo(3);
        assertThat(DestinationConfigJson.read(DestinationConfigJson.write(config))).isEqualTo(config);
    }

    @Test
    void rejectsUnknownFieldsByName() {
        var error = catchThrowableOfType(DestinationConfigJson.InvalidConfigException.class,
                () -> read("{ \"type\": \"HTTP\", \"url\": \"http://a\", \"colour\": \"red\" }"));

        assertThat(error.violations()).extracting(Violation::field).containsExactly("colour");
    }

    @Test
    void rejectsATransformTypeThatCannotBeAPluginsByPath() {
        var config = read("{ \"type\": \"HTTP\", \"url\": \"http://a\", \"transforms\": [ { \"type\": 7 } ] }");

        assertThat(config.violations()).extracting(Violation::field).containsExactly("transforms[0].type");
    }

    @Test
    void rejectsWrongEnumValuesByName() {
        var error = catchThrowableOfType(DestinationConfigJson.InvalidConfigException.class,
                () -> read("{ \"type\": \"FTP\" }"));

        assertThat(error.violations()).extracting(Violation::field).containsExactly("type");
    }

    @Test
    void listsEveryInvalidValue() {
        DestinationConfig config = read("""
                { "type": "TCP", "url": "http://a", "port": 70000, "maxBatch": 0,
                  "transforms": [ { "type": "delay", "minMs": 10, "maxMs": 5 }, { "type": "http" } ] }""");

        assertThat(config.violations()).extracting(Violation::field).containsExactlyInAnyOrder(
                "url", "host", "port", "framing", "transforms[0].maxMs", "transforms[1].url", "maxBatch");
    }

    @Test
    void batchedDeliveryReadsWithItsDefaultsAndIsCheckedByField() {
        DestinationConfig batched = read("""
                { "type": "HTTP", "url": "http://a", "delivery": { "mode": "BATCH" } }""");
        DestinationConfig tooLarge = read("""
                { "type": "HTTP", "url": "http://a",
                  "delivery": { "mode": "BATCH", "maxMessages": 0, "maxBytes": 0 } }""");
        var unknown = catchThrowableOfType(DestinationConfigJson.InvalidConfigException.class,
                () -> read("{ \"type\": \"HTTP\", \"url\": \"http://a\", \"delivery\": { \"mode\": \"ALL\" } }"));

        assertThat(batched.violations()).isEmpty();
        assertThat(batched.deliverySettings()).isEqualTo(new DeliverySettings(DeliverySettings.Mode.BATCH, 100,
                1024L * 1024));
        assertThat(DestinationConfig.http("http://a", java.util.List.of()).deliverySettings().batches()).isFalse();
        assertThat(tooLarge.violations()).extracting(Violation::field)
                .containsExactlyInAnyOrder("delivery.maxMessages", "delivery.maxBytes");
        assertThat(unknown.violations()).extracting(Violation::field).containsExactly("delivery.mode");
    }

    @Test
    void tcpDestinationsTakeBatchedDeliveryWithEitherAckAndTheSameLimits() {
        DestinationConfig lineAcks = read("""
                { "type": "TCP", "host": "h", "port": 9, "framing": "LINE", "ack": "LINE",
                  "delivery": { "mode": "BATCH", "maxMessages": 50, "maxBytes": 4096 } }""");
        DestinationConfig noAcks = read("""
                { "type": "TCP", "host": "h", "port": 9, "framing": "LENGTH_PREFIXED", "ack": "NONE",
                  "delivery": { "mode": "BATCH" } }""");
        DestinationConfig tooLarge = read("""
                { "type": "TCP", "host": "h", "port": 9, "framing": "LINE", "ack": "LINE",
                  "delivery": { "mode": "BATCH", "maxMessages": 10001, "maxBytes": 0 } }""");

        assertThat(lineAcks.violations()).isEmpty();
        assertThat(lineAcks.deliverySettings()).isEqualTo(new DeliverySettings(DeliverySettings.Mode.BATCH, 50, 4096L));
        assertThat(noAcks.violations()).isEmpty();
        assertThat(noAcks.deliverySettings().batches()).isTrue();
        assertThat(tooLarge.violations()).extracting(Violation::field)
                .containsExactlyInAnyOrder("delivery.maxMessages", "delivery.maxBytes");
    }

    @Test
    void malformedJsonIsNamedAsTheBody() {
        var error = catchThrowableOfType(DestinationConfigJson.InvalidConfigException.class, () -> read("{ nope"));

        assertThat(error.violations()).extracting(Violation::field).containsExactly("body");
    }

    private static DestinationConfig read(String json) {
        return DestinationConfigJson.read(json.getBytes(StandardCharsets.UTF_8));
    }
}
