package org.reseq.ingress.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reseq.infra.TestInfrastructure;
import org.reseq.ingress.support.HttpTester;
import org.reseq.ingress.support.HttpTester.Response;
import org.reseq.model.destination.DestinationConfig;
import org.reseq.model.destination.DestinationConfigJson;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The admin API keeps a destination's secrets write-only, against a real PostgreSQL and Redis:
 * reads mask URLs and header values, and what was read can be put back without losing them.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.datasource.hikari.maximum-pool-size=4")
// The PostgreSQL server is shared: give its connections back after the class.
@DirtiesContext
class DestinationSecretsIntegrationTests {

    private static final TestInfrastructure INFRA = TestInfrastructure.fresh("admin-secrets");
    /** Loopback is allowed while reseq.security.enabled is false, as here. */
    private static final String CONFIG = """
            { "type": "HTTP",
              "url": "https://127.0.0.1:9443/p?token=s3cret&v=2",
              "transforms": [ { "type": "http", "url": "http://127.0.0.1:9080/enrich?key=tr4nsform-key" } ],
              "headers": { "Authorization": "Bearer rec3iver-token", "X-Tenant": "acme" } }""";
    private static final List<String> SECRETS = List.of("pa55word", "s3cret", "tr4nsform-key", "rec3iver-token",
            "acme");

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        INFRA.register(registry);
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    private HttpTester http;

    @BeforeEach
    void client() {
        http = new HttpTester(port);
    }

    @Test
    void readsShowUrlsAndHeaderValuesMaskedAndNeverASecret() {
        Response created = http.putJson("/admin/v1/destinations/masked", CONFIG);

        assertThat(created.status()).as(created.text()).isEqualTo(201);
        Response one = http.get("/admin/v1/destinations/masked");
        Response all = http.get("/admin/v1/destinations");
        for (Response read : List.of(created, one, all)) {
            assertThat(read.text()).doesNotContain(SECRETS);
        }
        JsonNode read = one.json();
        assertThat(read.path("url").asString()).isEqualTo("https://127.0.0.1:9443/p?token=***&v=***");
        assertThat(read.path("transforms").get(0).path("url").asString())
                .isEqualTo("http://127.0.0.1:9080/enrich?key=***");
        assertThat(read.path("headers").path("Authorization").asString()).isEqualTo("******");
        assertThat(read.path("headers").path("X-Tenant").asString()).isEqualTo("******");
        assertThat(created.json().path("headers").path("Authorization").asString()).isEqualTo("******");
        assertThat(stored("masked")).isEqualTo(DestinationConfigJson.read(CONFIG));
    }

    @Test
    void whatWasReadPutBackKeepsTheStoredSecretsAndTheIncarnation() {
        http.putJson("/admin/v1/destinations/round-trip", CONFIG);
        int id = id("round-trip");
        ObjectNode read = (ObjectNode) http.get("/admin/v1/destinations/round-trip").json();
        read.remove(List.of("name", "status"));

        Response putBack = http.putJson("/admin/v1/destinations/round-trip", read.toString());

        assertThat(putBack.status()).as(putBack.text()).isEqualTo(200);
        assertThat(putBack.text()).doesNotContain(SECRETS);
        assertThat(stored("round-trip")).isEqualTo(DestinationConfigJson.read(CONFIG));
        assertThat(id("round-trip")).isEqualTo(id);

        // Changing one header keeps every other secret.
        ((ObjectNode) read.get("headers")).put("X-Tenant", "other");
        Response changed = http.putJson("/admin/v1/destinations/round-trip", read.toString());

        assertThat(changed.status()).as(changed.text()).isEqualTo(200);
        DestinationConfig afterChange = stored("round-trip");
        assertThat(afterChange.headers()).containsEntry("Authorization", "Bearer rec3iver-token")
                .containsEntry("X-Tenant", "other");
        assertThat(afterChange.url()).isEqualTo("https://127.0.0.1:9443/p?token=s3cret&v=2");
    }

    @Test
    void aMaskedHeaderValueWithNoStoredHeaderIs400NamingItAndChangesNothing() {
        http.putJson("/admin/v1/destinations/no-such-header", CONFIG);
        ObjectNode read = (ObjectNode) http.get("/admin/v1/destinations/no-such-header").json();
        read.remove(List.of("name", "status"));
        ((ObjectNode) read.get("headers")).put("X-Api-Key", "******");

        Response response = http.putJson("/admin/v1/destinations/no-such-header", read.toString());

        response.assertProblem(400, "invalid-request");
        assertThat(response.errorFields()).containsExactly("headers.X-Api-Key");
        assertThat(stored("no-such-header")).isEqualTo(DestinationConfigJson.read(CONFIG));

        Response created = http.putJson("/admin/v1/destinations/new-with-mask", """
                {"type":"HTTP","url":"http://127.0.0.1:9000/in","headers":{"Authorization":"******"}}""");

        created.assertProblem(400, "invalid-request");
        assertThat(created.errorFields()).containsExactly("headers.Authorization");
        http.get("/admin/v1/destinations/new-with-mask").assertProblem(404, "not-found");
    }

    @Test
    void aMaskedUrlThatIsNotTheStoredOnesIs400() {
        http.putJson("/admin/v1/destinations/other-url", CONFIG);

        Response response = http.putJson("/admin/v1/destinations/other-url", """
                {"type":"HTTP","url":"https://127.0.0.1:9443/elsewhere?token=***"}""");

        response.assertProblem(400, "invalid-request");
        assertThat(response.errorFields()).containsExactly("url");
        assertThat(stored("other-url")).isEqualTo(DestinationConfigJson.read(CONFIG));
    }

    @Test
    void aUrlWithUserInformationIsRefusedSinceItWouldNeverBeSent() {
        Response response = http.putJson("/admin/v1/destinations/user-info", """
                {"type":"HTTP","url":"https://user:pa55word@127.0.0.1:9443/in",
                 "transforms":[{"type":"http","url":"http://user:pa55word@127.0.0.1:9080/enrich"}]}""");

        response.assertProblem(400, "invalid-request");
        assertThat(response.errorFields()).containsExactly("url", "transforms[0].url");
        assertThat(response.json().path("errors").get(0).path("message").asString())
                .contains("credentials in headers");
        assertThat(response.text()).doesNotContain("pa55word");
    }

    private DestinationConfig stored(String name) {
        return DestinationConfigJson.read(jdbc.sql("select config::text from destination where name = :name")
                .param("name", name).query(String.class).single());
    }

    private int id(String name) {
        return jdbc.sql("select id from destination where name = :name").param("name", name).query(Integer.class)
                .single();
    }
}
