package org.reseq.ingress.apidoc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.reseq.infra.TestInfrastructure;
import org.reseq.ingress.support.HttpTester;
import org.reseq.ingress.support.HttpTester.Response;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The OpenAPI description of ingress ({@code /v3/api-docs}) and its Swagger UI, with security
 * on: both are open, the description covers every endpoint the API reference (docs/API.md)
 * lists, and it says for each operation which role it needs and which problems it answers with.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.hikari.maximum-pool-size=2",
        "reseq.security.enabled=true",
        "reseq.security.api-keys.ops.key=ops-key",
        "reseq.security.api-keys.ops.roles=ADMIN,READ"})
@DirtiesContext
class ApiDocsIntegrationTests {

    /** The API reference, from the module's directory, where the build runs its tests. */
    private static final Path API_REFERENCE = Path.of("..", "docs", "API.md");
    /** An endpoint as the reference writes it: {@code `PUT /admin/v1/channels/{name}`}, maybe with a query. */
    private static final Pattern ENDPOINT = Pattern.compile("`(GET|PUT|POST|DELETE|PATCH) (/(?:api|admin)/[^`\\s?\\[]*)");

    private static final TestInfrastructure INFRA = TestInfrastructure.fresh("api-docs");

    private static Set<String> documentedInReference;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        INFRA.register(registry);
    }

    @BeforeAll
    static void readTheApiReference() throws IOException {
        documentedInReference = new TreeSet<>();
        Matcher endpoints = ENDPOINT.matcher(Files.readString(API_REFERENCE));
        while (endpoints.find()) {
            if (!endpoints.group(2).contains("*")) { // a pattern such as /admin/** names no endpoint
                documentedInReference.add(endpoints.group(1) + " " + endpoints.group(2));
            }
        }
    }

    @LocalServerPort
    int port;

    @Test
    void theDescriptionAndTheSwaggerUiAreOpenWhileTheApiNeedsACredential() {
        HttpTester anonymous = new HttpTester(port);

        Response description = anonymous.get("/v3/api-docs");
        assertThat(description.status()).isEqualTo(200);
        assertThat(description.json().path("openapi").asString()).startsWith("3.1");
        assertThat(anonymous.get("/v3/api-docs.yaml").text()).startsWith("openapi: 3.1");
        Response swagger = anonymous.get("/swagger-ui.html");
        assertThat(swagger.status()).isEqualTo(302);
        Response page = anonymous.get(swagger.header("Location").replaceFirst("^https?://[^/]+", ""));
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.text()).contains("Swagger UI");

        anonymous.get("/admin/v1/destinations").assertProblem(401, "unauthorized");
    }

    @Test
    void everyEndpointOfTheApiReferenceIsDescribed() {
        assertThat(documentedInReference).as("endpoints found in %s", API_REFERENCE).hasSizeGreaterThanOrEqualTo(17)
                .contains("POST /api/v1/channels/{channel}/messages", "PUT /admin/v1/channels/{name}",
                        "POST /admin/v1/destinations/{name}/dead-letters/{sequence}/redeliver");

        assertThat(operations(description())).containsAll(documentedInReference);
    }

    @Test
    void everyOperationNamesItsRoleAndAnswersErrorsWithProblems() {
        JsonNode paths = description().path("paths");
        for (String operation : operations(description())) {
            String[] methodAndPath = operation.split(" ", 2);
            JsonNode described = paths.path(methodAndPath[1]).path(methodAndPath[0].toLowerCase());
            String role = methodAndPath[1].startsWith("/api/") ? "INGEST"
                    : methodAndPath[0].equals("GET") ? "READ" : "ADMIN";

            assertThat(described.path("security").get(0).path("bearer").get(0).asString()).as(operation).isEqualTo(role);
            assertThat(described.path("responses").path("401").path("content")
                    .path("application/problem+json").path("schema").path("$ref").asString()).as(operation)
                    .isEqualTo("#/components/schemas/Problem");
        }
    }

    @Test
    void ingestDescribesItsBodyHeadersAndAnswers() {
        JsonNode description = description();
        JsonNode ingest = description.path("paths").path("/api/v1/channels/{channel}/messages").path("post");

        assertThat(ingest.path("requestBody").path("content").has("*/*")).isTrue();
        assertThat(ingest.path("parameters").findValuesAsString("name")).contains("channel", "Idempotency-Key");
        assertThat(ingest.path("responses").path("202").path("content").path("application/json").path("schema")
                .path("$ref").asString()).isEqualTo("#/components/schemas/Receipt");
        assertThat(ingest.path("responses").path("202").path("headers").has("Idempotent-Replayed")).isTrue();
        assertThat(ingest.path("responses").propertyNames()).contains("400", "404", "413", "422", "429", "503");
        assertThat(ingest.path("responses").path("429").path("headers").has("Retry-After")).isTrue();

        JsonNode problem = description.path("components").path("schemas").path("Problem").path("properties");
        assertThat(problem.propertyNames()).contains("type", "title", "status", "detail", "instance", "errors");
        JsonNode scheme = description.path("components").path("securitySchemes").path("bearer");
        assertThat(scheme.path("type").asString()).isEqualTo("http");
        assertThat(scheme.path("scheme").asString()).isEqualTo("bearer");
    }

    @Test
    void adminWritesDescribeTheirBodies() {
        JsonNode paths = description().path("paths");

        assertThat(paths.path("/admin/v1/destinations/{name}").path("put").path("requestBody").path("content")
                .path("application/json").path("schema").path("$ref").asString())
                .isEqualTo("#/components/schemas/DestinationConfig");
        assertThat(paths.path("/admin/v1/channels/{name}").path("put").path("requestBody").path("content")
                .has("application/json")).isTrue();
        assertThat(description().path("components").path("schemas").path("Channel").path("properties")
                .propertyNames()).contains("name", "destinations", "keepHeaders");
        assertThat(paths.path("/admin/v1/destinations/{name}").path("get").path("responses").path("200")
                .path("content").path("application/json").path("schema").path("$ref").asString())
                .isEqualTo("#/components/schemas/Destination");
    }

    private JsonNode description() {
        return new HttpTester(port).get("/v3/api-docs").json();
    }

    /** Every operation of the description as "METHOD /path". */
    private static List<String> operations(JsonNode description) {
        List<String> operations = new ArrayList<>();
        description.path("paths").properties().forEach(path -> path.getValue().propertyNames().forEach(method -> {
            if (Set.of("get", "put", "post", "delete", "patch").contains(method)) {
                operations.add(method.toUpperCase() + " " + path.getKey());
            }
        }));
        return operations;
    }
}
