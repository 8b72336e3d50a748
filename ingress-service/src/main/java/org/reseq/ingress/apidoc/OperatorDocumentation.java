package org.reseq.ingress.apidoc;

import static io.swagger.v3.oas.models.PathItem.HttpMethod.GET;
import static io.swagger.v3.oas.models.PathItem.HttpMethod.POST;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.responses.ApiResponse;
import java.util.List;
import org.springdoc.core.customizers.OpenApiCustomizer;

/**
 * The operator controls of a destination: dead letters, retrying or skipping a blocked head of
 * line, redelivery, and the audit trail. A {@code 202} means the command is recorded and queued;
 * the destination's leader carries it out on its next poll.
 */
class OperatorDocumentation implements OpenApiCustomizer {

    static final String TAG = "Operator controls";
    private static final String DESTINATION = DestinationDocumentation.DESTINATION;
    private static final String LIMIT = "At most this many, 1 to 1000 (default 100).";
    private static final String QUEUED = "Recorded and queued; the body is the recorded action.";

    @Override
    public void customise(OpenAPI api) {
        Operation deadLetters = Operations.at(api, GET, DESTINATION + "/dead-letters").operationId("listDeadLetters")
                .tags(List.of(TAG)).summary("List a destination's dead letters, in sequence order");
        Operations.describeParameter(deadLetters, "after", "Only those after this sequence (default 0).");
        Operations.describeParameter(deadLetters, "limit", LIMIT);
        Operations.answers(deadLetters)
                .addApiResponse("200", Operations.jsonArray("The dead letters, without payloads.", "DeadLetterSummary"))
                .addApiResponse("400", ProblemDocs.problem("invalid-request", "A bad `after` or `limit`, named in `errors`."))
                .addApiResponse("404", ProblemDocs.problem("not-found", "No such destination."));

        Operations.answers(Operations.at(api, GET, DESTINATION + "/dead-letters/{sequence}")
                        .operationId("getDeadLetter").tags(List.of(TAG)).summary("Read one dead letter with its payload"))
                .addApiResponse("200", Operations.json("The dead letter; `payload` is the kept bytes in base64.",
                        "DeadLetterView"))
                .addApiResponse("404", ProblemDocs.problem("not-found",
                        "No such destination, or no dead letter at that sequence."));

        head(Operations.at(api, POST, DESTINATION + "/head/retry").operationId("retryHead")
                .summary("Retry the blocked head of line")
                .description("Queues a RETRY: to egress when it holds `deliveryHead`, else to the resequencer, "
                        + "which forgets the failed result and transforms the delivery again."));
        head(Operations.at(api, POST, DESTINATION + "/head/skip").operationId("skipHead")
                .summary("Skip the blocked head of line")
                .description("Queues a SKIP: the head becomes a dead letter of stage SKIPPED and the next one "
                        + "goes on in order. Also for a head without a result yet (a transform that hangs)."));

        Operation redeliver = Operations.at(api, POST, DESTINATION + "/dead-letters/{sequence}/redeliver")
                .operationId("redeliverDeadLetter").tags(List.of(TAG)).summary("Deliver a dead letter once more")
                .description("Queues a REDELIVER to egress: the payload goes out once, outside the ordered stream, "
                        + "with `Reseq-Redelivery: true`; on success the dead letter's `redeliveredAt` is set.");
        Operations.describeParameter(redeliver, DestinationDocumentation.ACTOR, DestinationDocumentation.ACTOR_DESCRIPTION);
        Operations.answers(redeliver)
                .addApiResponse("202", Operations.json(QUEUED, "Action"))
                .addApiResponse("404", ProblemDocs.problem("not-found",
                        "No such destination, or no dead letter at that sequence."));

        Operation actions = Operations.at(api, GET, DESTINATION + "/actions").operationId("listActions")
                .tags(List.of(TAG)).summary("List the operator actions on a destination, newest first")
                .description("Also for a deleted destination, whose last action is its `DELETE`.");
        Operations.describeParameter(actions, "limit", LIMIT);
        Operations.answers(actions)
                .addApiResponse("200", Operations.jsonArray("The recorded actions.", "Action"))
                .addApiResponse("400", ProblemDocs.problem("invalid-request", "A bad `limit`."))
                .addApiResponse("404", ProblemDocs.problem("not-found",
                        "No such destination, and no actions recorded under its name."));
    }

    private static void head(Operation operation) {
        operation.tags(List.of(TAG));
        Operations.describeParameter(operation, DestinationDocumentation.ACTOR, DestinationDocumentation.ACTOR_DESCRIPTION);
        Operations.answers(operation)
                .addApiResponse("202", Operations.json(QUEUED, "Action"))
                .addApiResponse("404", notFound())
                .addApiResponse("409", ProblemDocs.problem("head-not-blocked", """
                        The head is not blocked (egress holds nothing and the head of line has not failed); the \
                        problem names its `sequence` and `state`, or `releasedSequence` when there is no head."""));
    }

    private static ApiResponse notFound() {
        return ProblemDocs.problem("not-found", "No such destination.");
    }
}
