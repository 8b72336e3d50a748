package org.reseq.worker.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;
import org.reseq.model.destination.TransformSpec;
import org.reseq.transform.PermanentTransformException;
import org.reseq.transform.Transform;
import org.reseq.transform.TransformRequest;
import org.reseq.transform.TransformResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class JsonataTransformTests {

    private static final UUID MESSAGE_ID = UUID.fromString("0b6c1a5e-2f4d-4a8e-9c3b-7d1e5f2a9b40");
    private static final String ORDER = """
            { "orderId": "A-17", "customer": { "name": "Ada", "tier": "gold" },
              "lines": [ { "sku": "x", "qty": 2, "price": 1.5 }, { "sku": "y", "qty": 1, "price": 4 } ],
              "note": null }""";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void mapsTheJsonPayloadAndAnswersJson() throws Exception {
        TransformResponse output = jsonata("""
                { "id": orderId, "who": customer.name, "total": $sum(lines.(qty * price)), "note": note }""")
                .apply(input(ORDER, "application/vnd.orders+json"));

        assertThat(output.contentType()).isEqualTo("application/json");
        assertThat(json(output)).isEqualTo(JSON.readTree("""
                { "id": "A-17", "who": "Ada", "total": 7, "note": null }"""));
    }

    @Test
    void bindsTheDeliverysMetadataAsVariables() throws Exception {
        TransformResponse output = jsonata("""
                { "destination": $destination, "sequence": $sequence, "messageId": $messageId,
                  "contentType": $contentType }""").apply(input(ORDER, "application/vnd.orders+json"));

        assertThat(json(output)).isEqualTo(JSON.readTree("""
                { "destination": "orders", "sequence": 42, "messageId": "0b6c1a5e-2f4d-4a8e-9c3b-7d1e5f2a9b40",
                  "contentType": "application/vnd.orders+json" }"""));
    }

    @Test
    void undefinedMembersAreLeftOutAndScalarsAreWrittenAsJson() throws Exception {
        assertThat(json(jsonata("{ 'kept': orderId, 'gone': missing }").apply(input(ORDER, "application/json"))))
                .isEqualTo(JSON.readTree("{ \"kept\": \"A-17\" }"));
        assertThat(text(jsonata("customer.name").apply(input(ORDER, "application/json")))).isEqualTo("\"Ada\"");
        assertThat(text(jsonata("lines[0].qty * 1.5").apply(input(ORDER, "application/json")))).isEqualTo("3");
        assertThat(text(jsonata("1 / 4").apply(input(ORDER, "application/json")))).isEqualTo("0.25");
    }

    @Test
    void aPayloadThatIsNotJsonFailsForGood() {
        assertThatThrownBy(() -> jsonata("orderId").apply(input("orderId=A-17", "text/plain")))
                .isInstanceOf(PermanentTransformException.class)
                .hasMessageStartingWith("jsonata transform needs a JSON payload: ");
        assertThatThrownBy(() -> jsonata("orderId").apply(input("", "application/json")))
                .isInstanceOf(PermanentTransformException.class)
                .hasMessage("jsonata transform needs a JSON payload: the payload is empty");
        assertThatThrownBy(() -> jsonata("orderId").apply(input("{} {}", "application/json")))
                .isInstanceOf(PermanentTransformException.class);
    }

    @Test
    void anErrorRaisedByTheExpressionFailsForGoodWithItsMessage() {
        assertThatThrownBy(() -> jsonata("customer.name + 1").apply(input(ORDER, "application/json")))
                .isInstanceOf(PermanentTransformException.class)
                .hasMessage("jsonata transform failed: The left side of the \"+\" operator must evaluate to a number");
        assertThatThrownBy(() -> jsonata("$error('no customer')").apply(input(ORDER, "application/json")))
                .isInstanceOf(PermanentTransformException.class)
                .hasMessage("jsonata transform failed: no customer");
    }

    @Test
    void anUndefinedOrUnrepresentableResultFailsForGood() {
        assertThatThrownBy(() -> jsonata("nothing").apply(input(ORDER, "application/json")))
                .isInstanceOf(PermanentTransformException.class)
                .hasMessage("jsonata transform: the expression gave no result (undefined) for this payload");
        assertThatThrownBy(() -> jsonata("function($x) { $x }").apply(input(ORDER, "application/json")))
                .isInstanceOf(PermanentTransformException.class)
                .hasMessage("jsonata transform: the result is not representable as JSON: it holds a function");
        assertThatThrownBy(() -> jsonata("{ 'f': $uppercase }").apply(input(ORDER, "application/json")))
                .isInstanceOf(PermanentTransformException.class)
                .hasMessageContaining("not representable as JSON");
    }

    @Test
    void runawayRecursionStopsAtTheDepthLimit() {
        Transform recursion = jsonata("( $f := function($n) { $n <= 1 ? 1 : $n * $f($n - 1) }; $f(10000) )",
                new JsonataLimits(Duration.ofSeconds(10), 50));

        assertThatThrownBy(() -> recursion.apply(input(ORDER, "application/json")))
                .isInstanceOf(PermanentTransformException.class)
                .hasMessageStartingWith("jsonata transform failed: Stack overflow error");
    }

    @Test
    void anEndlessLoopStopsAtTheTimeLimit() {
        Transform endless = jsonata("( $f := function($n) { $f($n + 1) }; $f(0) )",
                new JsonataLimits(Duration.ofMillis(100), 100_000_000));
        long started = System.nanoTime();

        assertThatThrownBy(() -> endless.apply(input(ORDER, "application/json")))
                .isInstanceOf(PermanentTransformException.class)
                .hasMessageStartingWith("jsonata transform failed: Expression evaluation timeout");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void theLimitsCountFromEachEvaluationNotFromParsing() throws Exception {
        Transform quick = jsonata("orderId", new JsonataLimits(Duration.ofMillis(50), 10));
        long parsedAt = System.nanoTime();
        await().until(() -> System.nanoTime() - parsedAt > 100_000_000L);

        assertThat(text(quick.apply(input(ORDER, "application/json")))).isEqualTo("\"A-17\"");
    }

    @Test
    void anExpressionThatDoesNotParseCannotBuildATransform() {
        assertThatThrownBy(() -> jsonata("{ 'id': "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("is not a valid JSONata expression: ");
    }

    @Property(tries = 200)
    void renamingAFieldKeepsItsValueWhateverItIs(@ForAll @StringLength(max = 40) String value,
            @ForAll @AlphaChars @StringLength(min = 1, max = 12) String newName) throws Exception {
        String payload = JSON.writeValueAsString(java.util.Map.of("old", value, "other", 1));
        Transform rename = jsonata("{ '" + newName + "': old }");

        JsonNode result = json(rename.apply(input(payload, "application/json")));

        assertThat(result.get(newName).stringValue()).isEqualTo(value);
        assertThat(result.size()).isEqualTo(1);
    }

    @Test
    void contentTypeSetsTheContentTypeAndKeepsTheBytes() throws Exception {
        byte[] payload = "not json at all".getBytes(StandardCharsets.UTF_8);
        Transform transform = new ContentTypeTransform(new TransformSpec.ContentType("application/vnd.x+json"));

        TransformResponse output = transform.apply(new TransformRequest(payload, "text/plain", Map.of(), "orders", 1, MESSAGE_ID));

        assertThat(output.payload()).isEqualTo(payload);
        assertThat(output.contentType()).isEqualTo("application/vnd.x+json");
    }

    private static Transform jsonata(String expression) {
        return jsonata(expression, JsonataLimits.DEFAULTS);
    }

    private static Transform jsonata(String expression, JsonataLimits limits) {
        return new JsonataTransform(new TransformSpec.Jsonata(expression), limits);
    }

    private static TransformRequest input(String payload, String contentType) {
        return new TransformRequest(payload.getBytes(StandardCharsets.UTF_8), contentType, Map.of(), "orders", 42, MESSAGE_ID);
    }

    private static JsonNode json(TransformResponse output) {
        return JSON.readTree(output.payload());
    }

    private static String text(TransformResponse output) {
        return new String(output.payload(), StandardCharsets.UTF_8);
    }
}
