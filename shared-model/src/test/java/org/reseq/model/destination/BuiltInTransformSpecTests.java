package org.reseq.model.destination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BuiltInTransformSpecTests {

    @Test
    void readsBothNewBuiltInsFromJson() {
        DestinationConfig config = DestinationConfigJson.read("""
                { "type": "HTTP", "url": "http://127.0.0.1:9000/orders",
                  "transforms": [ { "type": "jsonata", "expression": "{ 'id': orderId }" },
                                  { "type": "content-type", "contentType": "application/vnd.orders+json" } ] }""");

        assertThat(config.violations()).isEmpty();
        assertThat(config.transforms()).containsExactly(new TransformSpec.Jsonata("{ 'id': orderId }"),
                new TransformSpec.ContentType("application/vnd.orders+json"));
        assertThat(DestinationConfigJson.read(DestinationConfigJson.write(config))).isEqualTo(config);
    }

    @Test
    void anExpressionThatDoesNotParseIsNamedWithTheParsersMessage() {
        assertThat(violations(new TransformSpec.Jsonata("{ 'id': orderId ")))
                .containsExactly(new Violation("transforms[0].expression",
                        "is not a valid JSONata expression: Expected \"}\" before end of expression"
                                + " (at character 16)"));
    }

    @Test
    void aMissingOrOverlongExpressionIsRefused() {
        assertThat(violations(new TransformSpec.Jsonata(null)))
                .containsExactly(new Violation("transforms[0].expression", "is required"));
        assertThat(violations(new TransformSpec.Jsonata("a".repeat(JsonataExpressions.MAX_LENGTH + 1))))
                .containsExactly(new Violation("transforms[0].expression", "must be at most 16384 characters"));
        assertThat(violations(new TransformSpec.Jsonata("a".repeat(JsonataExpressions.MAX_LENGTH)))).isEmpty();
    }

    @Test
    void deeplyNestedBracketsAreRefusedRatherThanOverflowingTheStack() {
        String nested = "(".repeat(JsonataExpressions.MAX_LENGTH / 2) + "1" + ")".repeat(JsonataExpressions.MAX_LENGTH / 2 - 1);

        assertThat(violations(new TransformSpec.Jsonata(nested))).singleElement()
                .satisfies(violation -> assertThat(violation.field()).isEqualTo("transforms[0].expression"));
    }

    @Property(tries = 300)
    void anyTextIsEitherAcceptedOrRefusedWithAMessageNeverAnException(@ForAll @StringLength(max = 60) String text) {
        List<Violation> violations = violations(new TransformSpec.Jsonata(text));

        assertThat(violations).allSatisfy(violation -> {
            assertThat(violation.field()).isEqualTo("transforms[0].expression");
            assertThat(violation.message()).isNotBlank();
        });
    }

    @Test
    void parsingGivesTheSameVerdictAsValidation() {
        assertThat(JsonataExpressions.parse("$sum(items.price)")).isNotNull();
        assertThatThrownBy(() -> JsonataExpressions.parse("$sum(")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("is not a valid JSONata expression: ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "application/vnd.x+json", "text/plain; charset=utf-8",
            "text/csv;header=present", "application/x-thing; name=\"a b\""})
    void aMediaTypeIsAValidContentType(String contentType) {
        assertThat(violations(new TransformSpec.ContentType(contentType))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "application/", "/json", "text/plain; charset", "text/plain\r\nX-Evil: 1",
            "application/json; a=b c", "appli cation/json", "text/pläin"})
    void anythingElseIsRefused(String contentType) {
        assertThat(violations(new TransformSpec.ContentType(contentType))).extracting(Violation::field)
                .containsExactly("transforms[0].contentType");
    }

    @Test
    void aContentTypeIsRequiredAndBounded() {
        assertThat(violations(new TransformSpec.ContentType(" "))).containsExactly(
                new Violation("transforms[0].contentType", "is required"));
        assertThat(violations(new TransformSpec.ContentType("application/" + "x".repeat(250)))).hasSize(1);
    }

    @Test
    void aTypeNoBuiltInHasIsAPluginStepWithItsFieldsAsConfiguration() {
        DestinationConfig config = DestinationConfigJson.read("""
                { "type": "HTTP", "url": "http://a", "transforms": [
                  { "type": "redact", "pattern": "\\\\d{16}", "keep": { "last": 4 } } ] }""");

        assertThat(config.transforms()).containsExactly(new TransformSpec.Plugin("redact",
                Map.of("pattern", "\\d{16}", "keep", Map.of("last", 4))));
        assertThat(config.violations()).isEmpty();
    }

    @Test
    void everyStepWritesItsTypeFirstAndReadsBackEqual() {
        DestinationConfig config = DestinationConfig.http("http://a", List.of(
                new TransformSpec.Delay(1L, 2L),
                new TransformSpec.Plugin("acme.redact", Map.of("pattern", "x")),
                new TransformSpec.ContentType("text/plain")));

        String json = DestinationConfigJson.write(config);

        assertThat(json).contains("{\"type\":\"delay\",\"minMs\":1,\"maxMs\":2}",
                "{\"type\":\"acme.redact\",\"pattern\":\"x\"}",
                "{\"type\":\"content-type\",\"contentType\":\"text/plain\"}");
        assertThat(DestinationConfigJson.read(json)).isEqualTo(config);
    }

    @Test
    void aPluginTypeMustBeANameAndAStepNeedsAType() {
        DestinationConfig config = DestinationConfigJson.read("""
                { "type": "HTTP", "url": "http://a", "transforms": [ { "type": "Not A Name" }, { "minMs": 1 } ] }""");

        assertThat(config.violations()).extracting(Violation::field)
                .containsExactly("transforms[0].type", "transforms[1].type");
    }

    @Test
    void aBuiltInStillRefusesUnknownFields() {
        var error = catchThrowableOfType(DestinationConfigJson.InvalidConfigException.class,
                () -> DestinationConfigJson.read("""
                        { "type": "HTTP", "url": "http://a", "transforms": [ { "type": "delay", "minMS": 1 } ] }"""));

        assertThat(error.violations()).containsExactly(new Violation("transforms[0].minMS", "is not a known field"));
    }

    private static List<Violation> violations(TransformSpec spec) {
        List<Violation> violations = new ArrayList<>();
        spec.validate("transforms[0]", violations);
        return violations;
    }
}
