package org.reseq.ingress.admin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
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

/** The built-in transforms' configuration through the admin API: saved as given, or refused by field. */
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
                .isEqualTo("is not a known transform type (known: content-type, delay, http, jsonata)");
    }
}
