package org.reseq.ingress.apidoc;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.parameters.RequestBody;
import java.util.List;
import org.reseq.ingress.commit.Receipt;
import org.springdoc.core.customizers.OpenApiCustomizer;

/**
 * {@code POST /api/v1/channels/{channel}/messages}: the controller reads the body as bytes of any
 * content type and writes the receipt itself, so springdoc sees neither; they are described here,
 * with every answer.
 */
class IngestDocumentation implements OpenApiCustomizer {

    static final String MESSAGES = "/api/v1/channels/{channel}/messages";

    @Override
    public void customise(OpenAPI api) {
        Schemas.addFrom(api.getComponents(), Receipt.class);

        Operation ingest = Operations.at(api, PathItem.HttpMethod.POST, MESSAGES);
        ingest.operationId("postMessage").tags(List.of("Ingest")).summary("Post a message to a channel")
                .description("""
                        Answers `202` only once the message and one delivery per destination of the channel are \
                        committed to PostgreSQL; each destination then gets it in the order of its sequence. \
                        Checks, in order: key syntax, channel, body size, a kept `Idempotency-Key` (replay or \
                        `422`), back-pressure, commit. The request headers the channel keeps (its `keepHeaders`) \
                        are stored with the message and travel with it to its transforms and HTTP destinations; \
                        other headers are ignored. A repeat is answered whatever its headers: the message keeps \
                        its first ones.""");
        ingest.requestBody(new RequestBody().required(false).description("""
                The message: any bytes, at most `reseq.ingest.max-payload-size` (default 1 MiB). Its \
                `Content-Type` is kept and delivered with it (`application/octet-stream` when absent).""")
                .content(new Content().addMediaType("*/*",
                        new MediaType().schema(Schemas.of("string").format("binary")))));
        Operations.describeParameter(ingest, "channel", "The channel: 1 to 64 characters of a-z, 0-9, - and _.");
        ingest.getParameters().stream().filter(parameter -> "Idempotency-Key".equals(parameter.getName()))
                .forEach(key -> key.description("""
                        One message per key and channel for as long as the key is kept \
                        (`reseq.ingest.idempotency.retention`, default 24h). A repeat with the same payload and \
                        `Content-Type` gets the original receipt; anything else under a kept key is `422`.""")
                        .schema(Schemas.of("string").minLength(1).maxLength(200)));

        Operations.answers(ingest)
                .addApiResponse("202", Operations.json("Committed; or a repeat of a kept `Idempotency-Key`, "
                                + "answered with the original receipt and nothing stored.", "Receipt")
                        .addHeaderObject("Idempotent-Replayed", new Header().schema(Schemas.of("string"))
                                .description("`true` on a repeat answered with the original receipt.")))
                .addApiResponse("400", ProblemDocs.problem("invalid-request",
                        "`Idempotency-Key` empty or over 200 characters, the body could not be read, or a kept "
                                + "header cannot travel: over 1024 characters or not one line (`headers.<Name>`), or "
                                + "the kept headers together over 8 KiB (`headers`). Nothing is stored."))
                .addApiResponse("404", ProblemDocs.problem("not-found", "No such channel."))
                .addApiResponse("413", ProblemDocs.problem("payload-too-large",
                        "The body is over the limit, declared or while reading; `limit` gives it in bytes."))
                .addApiResponse("422", ProblemDocs.problem("idempotency-key-reused", """
                        The `Idempotency-Key` is kept on this channel for a message with a different payload or \
                        `Content-Type`; `errors` names `Idempotency-Key`. Nothing is stored."""))
                .addApiResponse("429", ProblemDocs.problem("backlog-exceeded", """
                        A destination of the channel has more undelivered messages than its `maxBacklog`; \
                        `destinations` lists them (`destination`, `backlog`, `maxBacklog`). Nothing is stored.""")
                        .addHeaderObject("Retry-After", new Header().schema(Schemas.of("integer"))
                                .description("Whole seconds to wait before sending again (at least 1).")))
                .addApiResponse("503", ProblemDocs.problem("store-unavailable",
                        "PostgreSQL cannot commit; nothing is stored, send it again."));
    }
}
