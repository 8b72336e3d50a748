package org.reseq.model.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.reseq.model.destination.Violation;

class ConfigSchemaTests {

    private static final String REDACT = """
            { "type": "object", "additionalProperties": false, "required": ["pattern"],
              "properties": {
                "pattern": { "type": "string", "minLength": 1 },
                "replacement": { "type": "string" },
                "keep": { "type": "object", "properties": { "last": { "type": "integer", "minimum": 0 } } },
                "fields": { "type": "array", "items": { "type": "string" } } } }""";

    @Test
    void aValidConfigurationHasNoViolations() {
        assertThat(ConfigSchema.of(REDACT).check("transforms[0]", Map.of("pattern", "\\d+", "replacement", "#")))
                .isEmpty();
    }

    @Test
    void eachProblemNamesItsField() {
        List<Violation> violations = ConfigSchema.of(REDACT).check("transforms[1]", Map.of(
                "replacement", 7, "colour", "red", "keep", Map.of("last", -1), "fields", List.of("a", 2)));

        assertThat(violations).extracting(Violation::field).containsExactlyInAnyOrder(
                "transforms[1].pattern", "transforms[1].replacement", "transforms[1].colour",
                "transforms[1].keep.last", "transforms[1].fields[1]");
        assertThat(violations).extracting(Violation::message).allSatisfy(message ->
                assertThat(message).doesNotStartWith("$").isNotBlank());
    }

    @Test
    void aSchemaThatIsNotOneIsRefused() {
        assertThatThrownBy(() -> ConfigSchema.of("not json")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ConfigSchema.of(" ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRemoteReferenceIsNeverFetched() {
        // A schema that names a remote document must not make ingress reach the network.
        ConfigSchema remote = ConfigSchema.of("""
                { "$ref": "http://169.254.169.254/latest/meta-data/schema.json" }""");

        assertThatThrownBy(() -> remote.check("transforms[0]", Map.of("a", 1)))
                .isInstanceOf(RuntimeException.class);
    }
}
