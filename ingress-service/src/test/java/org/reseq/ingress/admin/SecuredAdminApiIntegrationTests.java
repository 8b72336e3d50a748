package org.reseq.ingress.admin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reseq.infra.Infrastructure;
import org.reseq.infra.RedisServerAddress;
import org.reseq.infra.TestInfrastructure;
import org.reseq.ingress.support.HttpTester;
import org.reseq.ingress.support.HttpTester.Response;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The admin API with {@code reseq.security.enabled}: loopback destinations are refused on save
 * unless the allow list names them, the deny list refuses what it names, and the suite's own
 * stores stay refused whatever the allow list says.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.hikari.maximum-pool-size=2",
        "reseq.security.enabled=true",
        "reseq.security.api-keys.ops.key=ops-key",
        "reseq.security.api-keys.ops.roles=ADMIN,READ",
        "reseq.security.destinations.allow=127.0.0.2/32,localhost",
        "reseq.security.destinations.deny=10.0.0.0/8,*.blocked.example"})
@DirtiesContext
class SecuredAdminApiIntegrationTests {

    private static final TestInfrastructure INFRA = TestInfrastructure.fresh("secured-admin");

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        INFRA.register(registry);
    }

    @LocalServerPort
    int port;

    private HttpTester http;

    @BeforeEach
    void client() {
        http = new HttpTester(port).bearer("ops-key");
    }

    @Test
    void aLoopbackDestinationIsRefusedUnlessTheAllowListNamesIt() {
        Response refused = http.putJson("/admin/v1/destinations/loopback", """
                {"type":"HTTP","url":"http://127.0.0.1:9000/orders"}""");

        refused.assertProblem(400, "invalid-request");
        assertThat(refused.errorFields()).containsExactly("url");
        assertThat(refused.json().path("detail").asString()).isEqualTo("url is refused by the destination guard:"
                + " 127.0.0.1:9000 is a loopback address, refused while reseq.security.enabled is true unless"
                + " reseq.security.destinations.allow names it");
        http.get("/admin/v1/destinations/loopback").assertProblem(404, "not-found");

        Response allowedBlock = http.putJson("/admin/v1/destinations/allowed-block", """
                {"type":"HTTP","url":"http://127.0.0.2:9000/orders"}""");
        Response allowedName = http.putJson("/admin/v1/destinations/allowed-name", """
                {"type":"TCP","host":"localhost","port":9000,"framing":"LINE"}""");

        assertThat(allowedBlock.status()).as(allowedBlock.text()).isEqualTo(201);
        assertThat(allowedName.status()).as(allowedName.text()).isEqualTo(201);
    }

    @Test
    void anHttpTransformOnLoopbackIsRefusedLikeADestination() {
        Response refused = http.putJson("/admin/v1/destinations/loopback-transform", """
                {"type":"HTTP","url":"http://127.0.0.2:9000/orders",
                 "transforms":[{"type":"http","url":"http://[::1]:9001/enrich"}]}""");

        refused.assertProblem(400, "invalid-request");
        assertThat(refused.errorFields()).containsExactly("transforms[0].url");
    }

    @Test
    void theSuitesOwnRedisStaysRefusedThoughTheAllowListOpensItsHost() {
        RedisServerAddress suiteRedis = Infrastructure.redis();

        Response refused = http.putJson("/admin/v1/destinations/allowed-but-redis", """
                {"type":"TCP","host":"localhost","port":%d,"framing":"LINE"}""".formatted(suiteRedis.port()));

        refused.assertProblem(400, "invalid-request");
        assertThat(refused.errorFields()).containsExactly("host");
        assertThat(refused.json().path("errors").get(0).path("message").asString())
                .endsWith("localhost:" + suiteRedis.port() + " resolves to the suite's own Redis");
    }

    @Test
    void whatTheDenyListNamesIsRefused() {
        Response byBlock = http.putJson("/admin/v1/destinations/denied-block", """
                {"type":"HTTP","url":"https://10.20.30.40/in"}""");

        byBlock.assertProblem(400, "invalid-request");
        assertThat(byBlock.json().path("detail").asString()).isEqualTo("url is refused by the destination guard:"
                + " 10.20.30.40:443 is denied by reseq.security.destinations.deny");

        // Refused by its name alone: it needs no lookup, nor to resolve at all.
        Response byName = http.putJson("/admin/v1/destinations/denied-name", """
                {"type":"TCP","host":"sink.blocked.example","port":7000,"framing":"LENGTH_PREFIXED"}""");

        byName.assertProblem(400, "invalid-request");
        assertThat(byName.errorFields()).containsExactly("host");
    }
}
