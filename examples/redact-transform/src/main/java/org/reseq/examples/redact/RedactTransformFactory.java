package org.reseq.examples.redact;

import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.reseq.transform.Transform;
import org.reseq.transform.TransformFactory;

/**
 * The {@code redact} transform type:
 * {@code { "type": "redact", "pattern": "\\b\\d{13,16}\\b", "replacement": "****", "keepLast": 4 }}
 * masks every match of {@code pattern} in a text payload, keeping the match's last
 * {@code keepLast} characters.
 */
public final class RedactTransformFactory implements TransformFactory {

    static final String TYPE = "redact";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String configSchema() {
        return """
                {
                  "$schema": "https://json-schema.org/draft/2020-12/schema",
                  "type": "object",
                  "additionalProperties": false,
                  "required": ["pattern"],
                  "properties": {
                    "pattern": { "type": "string", "minLength": 1, "maxLength": 1000,
                                 "description": "a Java regular expression; every match is masked" },
                    "replacement": { "type": "string", "maxLength": 100, "default": "***",
                                     "description": "what each match becomes, before the characters kept" },
                    "keepLast": { "type": "integer", "minimum": 0, "maximum": 64, "default": 0,
                                  "description": "how many of each match's last characters stay readable" }
                  }
                }""";
    }

    @Override
    public Transform create(Map<String, Object> config) {
        String pattern = (String) config.get("pattern");
        Pattern compiled;
        try {
            compiled = Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("pattern is not a regular expression: " + e.getDescription()
                    + " at index " + e.getIndex());
        }
        String replacement = (String) config.getOrDefault("replacement", "***");
        int keepLast = ((Number) config.getOrDefault("keepLast", 0)).intValue();
        return new RedactTransform(compiled, replacement, keepLast);
    }
}
