package org.reseq.ingress.apidoc;

import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.media.Schema;
import java.util.Set;

/** Schemas of the description: read from the Java types the API writes, or written out here. */
final class Schemas {

    private Schemas() {
    }

    /** A schema of one JSON type, in the form OpenAPI 3.1 writes it. */
    static Schema<Object> of(String type) {
        Schema<Object> schema = new Schema<>();
        schema.type(type);
        schema.types(Set.of(type));
        return schema;
    }

    static Schema<Object> of(String type, String description) {
        Schema<Object> schema = of(type);
        schema.description(description);
        return schema;
    }

    /** Adds the schema of {@code type}, and of the types it refers to, under their simple names. */
    static void addFrom(Components components, Class<?> type) {
        ModelConverters.getInstance(true).readAll(type).forEach(components::addSchemas);
    }
}
