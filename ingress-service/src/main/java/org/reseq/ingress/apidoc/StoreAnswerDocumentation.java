package org.reseq.ingress.apidoc;

import io.swagger.v3.oas.models.OpenAPI;
import org.springdoc.core.customizers.OpenApiCustomizer;

/**
 * Every operation reads or writes PostgreSQL, so every one answers {@code 503} while it cannot be
 * reached; the operations that say more of it (ingest) keep their own words.
 */
class StoreAnswerDocumentation implements OpenApiCustomizer {

    @Override
    public void customise(OpenAPI api) {
        Operations.forEach(api, (path, entry) -> entry.getValue().getResponses().computeIfAbsent("503",
                status -> ProblemDocs.problem("store-unavailable",
                        "PostgreSQL or Redis cannot be reached; nothing was changed, retry later.")));
    }
}
