package org.reseq.ingress.apidoc;

import static io.swagger.v3.oas.models.PathItem.HttpMethod.DELETE;
import static io.swagger.v3.oas.models.PathItem.HttpMethod.GET;
import static io.swagger.v3.oas.models.PathItem.HttpMethod.POST;
import static io.swagger.v3.oas.models.PathItem.HttpMethod.PUT;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.media.Schema;
import java.util.List;
import java.util.Map;
import org.reseq.ingress.admin.DestinationStatus;
import org.reseq.model.destination.DestinationConfig;
import org.springdoc.core.customizers.OpenApiCustomizer;

/**
 * {@code /admin/v1/destinations}: the controller reads a configuration as bytes (to bound its
 * size and keep secrets) and writes destinations as maps, so both bodies are described here.
 */
class DestinationDocumentation implements OpenApiCustomizer {

    static final String DESTINATIONS = "/admin/v1/destinations";
    static final String DESTINATION = DESTINATIONS + "/{name}";
    static final String TAG = "Destinations";
    static final String ACTOR = "X-Reseq-Actor";
    static final String ACTOR_DESCRIPTION = """
            Who acts, recorded with the operator action while security is off (at most 200 characters); \
            with security on the authenticated caller is recorded and this header is ignored.""";

    /** What the configuration's fields mean, and the defaults a write fills in. */
    private static final Map<String, String> FIELDS = Map.ofEntries(
            Map.entry("type", "How egress reaches the destination."),
            Map.entry("url", "HTTP: where each message is POSTed; absolute http or https, without user information."),
            Map.entry("host", "TCP: the host to connect to."),
            Map.entry("port", "TCP: the port to connect to."),
            Map.entry("framing", "TCP: how messages are delimited on the connection."),
            Map.entry("ack", "TCP: LINE waits for one reply line per message (default NONE)."),
            Map.entry("tls", "TCP: reach the destination over TLS (default false)."),
            Map.entry("headers", "HTTP: extra request headers sent with every delivery; values are write-only."),
            Map.entry("transforms", "The transform chain each message goes through before delivery, in order."),
            Map.entry("maxBatch", "Most messages released or delivered in one batch (default 100)."),
            Map.entry("onFailure", "BLOCK (default) stops at a message that failed for good; DEAD_LETTER records it "
                    + "and goes on."),
            Map.entry("transformTimeoutMs", "Longest time one attempt of the whole chain may take (default 30000)."),
            Map.entry("transformAttempts", "Attempts of the chain before the delivery failed for good (default 3)."),
            Map.entry("deliveryTimeoutMs", "Longest wait for the destination to accept one message (default 10000)."),
            Map.entry("maxBacklog", "Undelivered messages above which ingest answers 429 (absent: no limit)."));

    @Override
    public void customise(OpenAPI api) {
        addSchemas(api.getComponents());

        Operation put = Operations.at(api, PUT, DESTINATION).operationId("putDestination").tags(List.of(TAG))
                .summary("Create or replace a destination")
                .description("""
                        Defaults are filled in on write. Where the destination sends (`url`, `host`, each `http` \
                        transform's `url`) must pass the destination guard. A header value `******` or a URL in \
                        its masked form, as a read shows them, keeps the stored secret.""")
                .requestBody(new RequestBody().required(true).content(Operations.jsonContent("DestinationConfig"))
                        .description("The configuration, at most 64 KiB; unknown fields are invalid."));
        Operations.answers(put)
                .addApiResponse("200", Operations.json("Replaced (or unchanged).", "Destination"))
                .addApiResponse("201", Operations.json("Created.", "Destination")
                        .addHeaderObject("Location", new Header().schema(Schemas.of("string"))
                                .description("The destination's path.")))
                .addApiResponse("400", ProblemDocs.problem("invalid-request",
                        "Invalid: every invalid field in `errors`, including a target the destination guard refuses."))
                .addApiResponse("413", ProblemDocs.problem("payload-too-large", "The configuration is over 64 KiB."))
                .addApiResponse("415", ProblemDocs.problem("unsupported-media-type", "The body is not JSON."));

        Operations.answers(Operations.at(api, GET, DESTINATIONS).operationId("listDestinations").tags(List.of(TAG))
                        .summary("List the destinations, by name"))
                .addApiResponse("200", Operations.jsonArray("The destinations, secrets masked.", "Destination"));

        Operations.answers(Operations.at(api, GET, DESTINATION).operationId("getDestination").tags(List.of(TAG))
                        .summary("Read a destination with its status"))
                .addApiResponse("200", Operations.json("The destination, secrets masked.", "Destination"))
                .addApiResponse("404", notFound());

        Operation delete = Operations.at(api, DELETE, DESTINATION).operationId("deleteDestination")
                .tags(List.of(TAG)).summary("Delete a destination")
                .description("Recorded as a `DELETE` operator action, saying what was dropped.");
        Operations.describeParameter(delete, "force", "Drop acknowledged, undelivered messages instead of refusing.");
        Operations.describeParameter(delete, ACTOR, ACTOR_DESCRIPTION);
        Operations.answers(delete)
                .addApiResponse("204", Operations.empty("Deleted."))
                .addApiResponse("404", notFound())
                .addApiResponse("409", ProblemDocs.problem("conflict", """
                        A channel routes to it (`channels` lists them), or it has acknowledged, undelivered \
                        messages and `force` is not set (`undelivered`, `deliveredSequence`, `lastSequence`)."""));

        pauseOrResume(Operations.at(api, POST, DESTINATION + "/pause").operationId("pauseDestination")
                .summary("Pause delivery to a destination"));
        pauseOrResume(Operations.at(api, POST, DESTINATION + "/resume").operationId("resumeDestination")
                .summary("Resume delivery to a destination"));
    }

    private static void pauseOrResume(Operation operation) {
        operation.tags(List.of(TAG)).description("Recorded as an operator action.");
        Operations.describeParameter(operation, ACTOR, ACTOR_DESCRIPTION);
        Operations.answers(operation)
                .addApiResponse("204", Operations.empty("Done."))
                .addApiResponse("404", notFound());
    }

    private static void addSchemas(Components components) {
        Schemas.addFrom(components, DestinationConfig.class);
        Map<String, Schema> fields = components.getSchemas().get("DestinationConfig").getProperties();
        FIELDS.forEach((field, description) -> fields.get(field).description(description));
        // A transform's type is written in lower case, not as the schema's name.
        components.getSchemas().get("TransformSpec").getDiscriminator()
                .mapping("delay", "#/components/schemas/Delay").mapping("http", "#/components/schemas/Http");
        Schemas.addFrom(components, DestinationStatus.class);
        components.addSchemas("Destination", Schemas.of("object", """
                        A destination as read: its name, its configuration with defaults filled in and secrets \
                        masked (URL query values `***`, header values `******`), and its status. One whose \
                        stored configuration cannot be read has `unreadable` in place of the configuration.""")
                .addAllOfItem(Operations.ref("DestinationConfig"))
                .addProperty("name", Schemas.of("string"))
                .addProperty("unreadable", Schemas.of("string", "Why the stored configuration cannot be read."))
                .addProperty("status", Operations.ref("DestinationStatus")));
    }

    private static ApiResponse notFound() {
        return ProblemDocs.problem("not-found", "No such destination.");
    }
}
