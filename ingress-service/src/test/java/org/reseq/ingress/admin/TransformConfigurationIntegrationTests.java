package org.reseq.ingress.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reseq.infra.TestInfrastructure;
import org.reseq.ingress.support.HttpTester.Response;
import org.reseq.ingress.support.HttpTester;
import org.reseq.model.redis.RedisKeys;
import org.reseq.model.transform.TransformCatalog;
import org.reseq.model.transform.TransformType;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Transform configuration through the admin API: built-in and plugin steps saved as given, or
 * refused by field; plugin types checked against what workers publish in the catalog.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.datasource.hikari.maximum-pool-size=4")
// The PostgreSQL server is shared: give its connections back after the class.
@DirtiesContext
class TransformConfigurationIntegrationTests {

    private static final TestInfrastructure INFRA = TestInfrastructure.fresh("transforms");

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        INFRA.register(registry);
    }

    @LocalServerPort
    int port;

    private static final String REDACT = """
            { "type": "object", "additionalProperties": false, "required": ["pattern"],
              "properties": { "pattern": { "type": "string" }, "replacement": { "type": "string" },
                              "keepLast": { "type": "integer", "minimum": 0 } } }""";

    @Autowired
    StringRedisTemplate redis;

    @Autowired
    RedisKeys keys;

    private HttpTester http;

    @BeforeEach
    void client() {
        http = new HttpTester(port);
    }

    @Test
    void aJsonataMappingAndAContentTypeAreSavedAndReadBackAsGiven() {
        Response saved = http.putJson("/admin/v1/destinations/mapped", """
                { "type": "HTTP", "url": "http://127.0.0.1:9000/orders",
                  "transforms": [ { "type": "jsonata", "expression": "{ 'id': orderId, 'who': customer.name }" },
                                  { "type": "content-type", "contentType": "application/vnd.order+json" } ] }""");

        assertThat(saved.status()).as(saved.text()).isEqualTo(201);
        JsonNode transforms = http.get("/admin/v1/destinations/mapped").json().path("transforms");
        assertThat(transforms.get(0).path("type").asString()).isEqualTo("jsonata");
        assertThat(transforms.get(0).path("expression").asString()).isEqualTo("{ 'id': orderId, 'who': customer.name }");
        assertThat(transforms.get(1).path("type").asString()).isEqualTo("content-type");
        assertThat(transforms.get(1).path("contentType").asString()).isEqualTo("application/vnd.order+json");
    }

    @Test
    void anExpressionThatDoesNotParseIs400WithTheParsersMessageAndIsNotStored() {
        Response response = http.putJson("/admin/v1/destinations/bad-mapping", """
                { "type": "HTTP", "url": "http://127.0.0.1:9000/orders",
                  "transforms": [ { "type": "jsonata", "expression": "{ 'id': orderId " } ] }""");

        response.assertProblem(400, "invalid-request");
        assertThat(response.errorFields()).containsExactly("transforms[0].expression");
        assertThat(response.json().path("errors").get(0).path("message").asString())
                .isEqualTo("is not a valid JSONata expression: Expected \"}\" before end of expression"
                        + " (at character 16)");
        http.get("/admin/v1/destinations/bad-mapping").assertProblem(404, "not-found");
    }

    @Test
    void aMissingExpressionAndAnInvalidContentTypeAre400NamingEach() {
        Response response = http.putJson("/admin/v1/destinations/bad-built-ins", """
                { "type": "HTTP", "url": "http://127.0.0.1:9000/orders",
                  "transforms": [ { "type": "delay" }, { "type": "jsonata" },
                                  { "type": "content-type", "contentType": "json please" } ] }""");

        response.assertProblem(400, "invalid-request");
        assertThat(response.errorFields()).containsExactlyInAnyOrder("transforms[1].expression",
                "transforms[2].contentType");
    }

    @Test
    void anUnknownTransformTypeIs400ListingTheKnownOnes() {
        Response response = http.putJson("/admin/v1/destinations/unknown-type", """
                { "type": "HTTP", "url": "http://127.0.0.1:9000/orders", "transforms": [ { "type": "xslt" } ] }""");

        response.assertProblem(400, "invalid-request");
        assertThat(response.errorFields()).containsExactly("transforms[0].type");
        assertThat(response.json().path("errors").get(0).path("message").asString())
                .startsWith("is not a known transform type (built-in: content-type, delay, headers, http, jsonata;"
                        + " published by workers: ");
        http.get("/admin/v1/destinations/unknown-type").assertProblem(404, "not-found");
    }

    @Test
    void aPluginStepIsCheckedAgainstTheSchemaItsWorkersPublished() {
        catalog().publish("worker-redact", List.of(TransformType.builtIn("http"), new TransformType("redact", REDACT)));

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            Response refused = http.putJson("/admin/v1/destinations/redacted", """
                    { "type": "HTTP", "url": "http://127.0.0.1:9000/orders",
                      "transforms": [ { "type": "redact", "replacement": 7, "colour": "red" } ] }""");
            refused.assertProblem(400, "invalid-request");
            assertThat(refused.errorFields()).containsExactlyInAnyOrder("transforms[0].pattern",
                    "transforms[0].replacement", "transforms[0].colour");
        });
        Response saved = http.putJson("/admin/v1/destinations/redacted", """
                { "type": "HTTP", "url": "http://127.0.0.1:9000/orders",
                  "transforms": [ { "type": "redact", "pattern": "\\\\d{16}", "keepLast": 4 } ] }""");

        assertThat(saved.status()).as(saved.text()).isEqualTo(201);
        JsonNode step = http.get("/admin/v1/destinations/redacted").json().path("transforms").get(0);
        assertThat(step.path("type").asString()).isEqualTo("redact");
        assertThat(step.path("pattern").asString()).isEqualTo("\\d{16}");
        assertThat(step.path("keepLast").asInt()).isEqualTo(4);
    }

    @Test
    void theStatusNamesTheTypesNoLiveWorkerRuns() {
        catalog().publish("worker-mask", List.of(TransformType.builtIn("http"), new TransformType("mask", REDACT)));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(http.putJson(
                "/admin/v1/destinations/masked", """
                { "type": "HTTP", "url": "http://127.0.0.1:9000/orders",
                  "transforms": [ { "type": "mask", "pattern": "x" }, { "type": "delay" } ] }""").status())
                .isEqualTo(201));

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(http.get("/admin/v1/destinations/masked")
                .json().path("status").path("transformTypesWithoutWorker")).extracting(JsonNode::asString)
                .containsExactly("delay"));

        catalog().withdraw("worker-mask");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(http.get("/admin/v1/destinations/masked")
                .json().path("status").path("transformTypesWithoutWorker")).extracting(JsonNode::asString)
                .containsExactly("mask", "delay"));
    }

    @Test
    void theTransformTypesAreListedWithTheirSchemasAndLiveWorkers() {
        catalog().publish("worker-listed", List.of(TransformType.builtIn("http"), new TransformType("listed", REDACT)));

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            JsonNode types = http.get("/admin/v1/transform-types").json();
            assertThat(types).extracting(type -> type.path("name").asString())
                    .contains("content-type", "delay", "headers", "http", "jsonata", "listed");
            JsonNode listed = find(types, "listed");
            assertThat(listed.path("builtIn").asBoolean()).isFalse();
            assertThat(listed.path("liveWorkers").asInt()).isEqualTo(1);
            assertThat(listed.path("configSchema").path("required").get(0).asString()).isEqualTo("pattern");
            assertThat(find(types, "http").path("liveWorkers").asInt()).isPositive();
            assertThat(find(types, "jsonata").path("builtIn").asBoolean()).isTrue();
        });
    }

    private static JsonNode find(JsonNode types, String name) {
        for (JsonNode type : types) {
            if (type.path("name").asString().equals(name)) {
                return type;
            }
        }
        throw new AssertionError("no type " + name + " in " + types);
    }

    private TransformCatalog catalog() {
        return new TransformCatalog(redis, keys, Clock.systemUTC());
    }
}
