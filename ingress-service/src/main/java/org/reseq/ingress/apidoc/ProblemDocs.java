package org.reseq.ingress.apidoc;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import java.util.List;
import org.reseq.ingress.web.Problems;

/**
 * The RFC 9457 problem every error of the API is, as a schema and as answers. The members a
 * problem type adds ({@code limit}, {@code destinations}, {@code channels}, ...) are described
 * with the answer that carries them.
 */
final class ProblemDocs {

    static final String MEDIA_TYPE = org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE;
    static final String PROBLEM = "Problem";
    static final String VIOLATION = "Violation";

    private ProblemDocs() {
    }

    static void addSchemas(Components components) {
        components.addSchemas(VIOLATION, Schemas.of("object")
                .description("One invalid field of a request.")
                .addProperty("field", Schemas.of("string")
                        .description("The field's path, such as `url`, `transforms[0].maxMs` or a header name."))
                .addProperty("message", Schemas.of("string").description("What is wrong with it."))
                .required(List.of("field", "message")));
        components.addSchemas(PROBLEM, Schemas.of("object")
                .description("An error (RFC 9457). Never a stack trace; a problem type may add members of its own.")
                .addProperty("type", Schemas.of("string").format("uri")
                        .description("`" + Problems.BASE + "<slug>`, the slug naming the kind of problem.")
                        .example(Problems.BASE + "not-found"))
                .addProperty("title", Schemas.of("string").description("The problem type in words."))
                .addProperty("status", Schemas.of("integer").format("int32")
                        .description("The HTTP status code."))
                .addProperty("detail", Schemas.of("string")
                        .description("What happened in this case, and whether anything was stored."))
                .addProperty("instance", Schemas.of("string").format("uri-reference")
                        .description("The request's path."))
                .addProperty("errors", Schemas.of("array").items(Operations.ref(VIOLATION))
                        .description("Every invalid field (`invalid-request`, `idempotency-key-reused`)."))
                .additionalProperties(true)
                .required(List.of("type", "title", "status")));
    }

    /** An error answer: problem type {@code slug}, given {@code when}. */
    static ApiResponse problem(String slug, String when) {
        return new ApiResponse().description("`" + slug + "`: " + when).content(content());
    }

    static Content content() {
        return new Content().addMediaType(MEDIA_TYPE, new MediaType().schema(Operations.ref(PROBLEM)));
    }
}
