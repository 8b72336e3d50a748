package org.reseq.ingress.apidoc;

import static io.swagger.v3.oas.models.PathItem.HttpMethod.DELETE;
import static io.swagger.v3.oas.models.PathItem.HttpMethod.GET;
import static io.swagger.v3.oas.models.PathItem.HttpMethod.PUT;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.responses.ApiResponse;
import java.util.List;
import org.springdoc.core.customizers.OpenApiCustomizer;

/** {@code /admin/v1/channels}: springdoc reads the bodies; the answers are described here. */
class ChannelDocumentation implements OpenApiCustomizer {

    static final String CHANNELS = "/admin/v1/channels";
    static final String CHANNEL = CHANNELS + "/{name}";
    static final String TAG = "Channels";

    @Override
    public void customise(OpenAPI api) {
        Operation put = Operations.at(api, PUT, CHANNEL).operationId("putChannel").tags(List.of(TAG))
                .summary("Create or replace a channel and its route")
                .description("""
                        `destinations`: the destinations a message of the channel goes to, in route order; each                         must exist, none listed twice. `keepHeaders` (optional, default none): the sender headers                         its messages keep, at most 16 HTTP header names, case-insensitive, none twice; they are                         stored with each message, passed to its transforms and sent to HTTP destinations, in this                         order and spelling. `Reseq-*`, `Idempotency-Key`, `Content-Type`, `Content-Length`,                         `Content-Encoding`, `Transfer-Encoding`, `Host`, hop-by-hop headers (`Connection`,                         `Keep-Alive`, `Proxy-Connection`, `TE`, `Trailer`, `Upgrade`, `Expect`) and credentials                         (`Authorization`, `Proxy-Authorization`, `Cookie`) cannot be kept.""");
        Operations.answers(put)
                .addApiResponse("200", Operations.json("Replaced.", "Channel"))
                .addApiResponse("201", Operations.json("Created.", "Channel")
                        .addHeaderObject("Location", new Header().schema(Schemas.of("string"))
                                .description("The channel's path.")))
                .addApiResponse("400", ProblemDocs.problem("invalid-request",
                        "Invalid, or naming a destination that does not exist, or a header name that cannot be "
                                + "kept (`keepHeaders[i]`); every invalid field in `errors`."))
                .addApiResponse("415", ProblemDocs.problem("unsupported-media-type", "The body is not JSON."));

        Operations.answers(Operations.at(api, GET, CHANNELS).operationId("listChannels").tags(List.of(TAG))
                        .summary("List the channels, by name"))
                .addApiResponse("200", Operations.jsonArray("The channels.", "Channel"));

        Operations.answers(Operations.at(api, GET, CHANNEL).operationId("getChannel").tags(List.of(TAG))
                        .summary("Read a channel"))
                .addApiResponse("200", Operations.json("The channel.", "Channel"))
                .addApiResponse("404", notFound());

        Operations.answers(Operations.at(api, DELETE, CHANNEL).operationId("deleteChannel").tags(List.of(TAG))
                        .summary("Delete a channel"))
                .addApiResponse("204", Operations.empty("Deleted."))
                .addApiResponse("404", notFound());
    }

    private static ApiResponse notFound() {
        return ProblemDocs.problem("not-found", "No such channel.");
    }
}
