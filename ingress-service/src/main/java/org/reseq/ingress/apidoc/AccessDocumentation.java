package org.reseq.ingress.apidoc;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import java.util.List;
import org.reseq.model.security.Role;
import org.springdoc.core.customizers.OpenApiCustomizer;

/**
 * The role each operation needs while security is on, as ingress's access rules grant it:
 * {@link Role#INGEST} posts messages (to the channels its credential names), {@link Role#READ}
 * reads the admin API, {@link Role#ADMIN} changes it. OpenAPI 3.1 lets a bearer requirement
 * name roles; the description says it in words too, for viewers that do not show them.
 */
class AccessDocumentation implements OpenApiCustomizer {

    @Override
    public void customise(OpenAPI api) {
        Operations.forEach(api, (path, entry) -> {
            Role role = roleFor(entry.getKey(), path);
            Operation operation = entry.getValue();
            operation.security(List.of(new SecurityRequirement().addList(ApiDocConfiguration.BEARER, role.name())));
            String needs = role == Role.INGEST
                    ? "Needs the role INGEST, and the channel among the credential's channels, while security is on."
                    : "Needs the role " + role + " while security is on.";
            operation.description(operation.getDescription() == null ? needs
                    : operation.getDescription() + "\n\n" + needs);
            operation.getResponses()
                    .addApiResponse("401", ProblemDocs.problem("unauthorized",
                            "No credential, or an unknown API key or an invalid token. Comes with `WWW-Authenticate`."))
                    .addApiResponse("403", ProblemDocs.problem("forbidden", role == Role.INGEST
                            ? "The credential lacks the role INGEST or may not post to this channel."
                            : "The credential lacks the role " + role + "."));
        });
    }

    static Role roleFor(PathItem.HttpMethod method, String path) {
        if (path.startsWith("/api/")) {
            return Role.INGEST;
        }
        return method == PathItem.HttpMethod.GET ? Role.READ : Role.ADMIN;
    }
}
