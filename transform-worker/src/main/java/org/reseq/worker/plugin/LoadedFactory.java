package org.reseq.worker.plugin;

import org.reseq.model.transform.ConfigSchema;
import org.reseq.transform.TransformFactory;

/**
 * A plugin's factory as loaded, with its parsed schema and where it came from.
 *
 * @param factory the factory
 * @param schemaText its configuration schema as published
 * @param schema the same, parsed
 * @param source the jar it came from, or {@code classpath}, for messages
 * @param loader the class loader of its jar: the context class loader while it runs
 */
record LoadedFactory(TransformFactory factory, String schemaText, ConfigSchema schema, String source,
        ClassLoader loader) {
}
