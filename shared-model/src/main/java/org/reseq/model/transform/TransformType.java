package org.reseq.model.transform;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A transform type a worker can run, as it publishes it.
 *
 * @param name the type name destinations use in {@code transforms[i].type}
 * @param configSchema the JSON Schema of its configuration (a plugin's), or {@code null} for a
 *     built-in, whose fields the admin API checks itself
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TransformType(String name, String configSchema) {

    /** A built-in type. */
    public static TransformType builtIn(String name) {
        return new TransformType(name, null);
    }

    public boolean isBuiltIn() {
        return configSchema == null;
    }
}
