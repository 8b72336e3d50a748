package org.reseq.ingress.apidoc;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.util.Map;
import java.util.function.BiConsumer;

/** Finding and completing the operations springdoc read from the controllers. */
final class Operations {

    static final String JSON = org.springframework.http.MediaType.APPLICATION_JSON_VALUE;

    private Operations() {
    }

    /**
     * The operation at {@code method path}. A missing one fails the description (a 500 of
     * {@code /v3/api-docs}), so a renamed endpoint cannot leave its documentation behind unnoticed.
     */
    static Operation at(OpenAPI api, PathItem.HttpMethod method, String path) {
        PathItem item = api.getPaths() == null ? null : api.getPaths().get(path);
        Operation operation = item == null ? null : item.readOperationsMap().get(method);
        if (operation == null) {
            throw new IllegalStateException("No operation " + method + " " + path + " to document");
        }
        return operation;
    }

    /** Every operation, with its method and path. */
    static void forEach(OpenAPI api, BiConsumer<String, Map.Entry<PathItem.HttpMethod, Operation>> action) {
        if (api.getPaths() != null) {
            api.getPaths().forEach((path, item) -> item.readOperationsMap().entrySet()
                    .forEach(operation -> action.accept(path, operation)));
        }
    }

    /** Replaces springdoc's guessed {@code 200} with the answers the operation gives. */
    static ApiResponses answers(Operation operation) {
        ApiResponses answers = new ApiResponses();
        operation.setResponses(answers);
        return answers;
    }

    /** A JSON answer whose body is the schema {@code name} of the components. */
    static ApiResponse json(String description, String name) {
        return new ApiResponse().description(description).content(jsonContent(name));
    }

    static Content jsonContent(String name) {
        return new Content().addMediaType(JSON, new MediaType().schema(ref(name)));
    }

    static ApiResponse jsonArray(String description, String itemName) {
        return new ApiResponse().description(description).content(new Content().addMediaType(JSON,
                new MediaType().schema(Schemas.of("array").items(ref(itemName)))));
    }

    static ApiResponse empty(String description) {
        return new ApiResponse().description(description);
    }

    static Schema<?> ref(String name) {
        return new Schema<>().$ref("#/components/schemas/" + name);
    }

    /** Gives the parameter {@code name} of the operation a description. */
    static void describeParameter(Operation operation, String name, String description) {
        if (operation.getParameters() != null) {
            operation.getParameters().stream().filter(parameter -> name.equals(parameter.getName()))
                    .forEach(parameter -> parameter.setDescription(description));
        }
    }
}
