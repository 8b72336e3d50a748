package org.reseq.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;
import org.reseq.infra.TestInfrastructure;
import org.reseq.ingress.support.HttpTester;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * {@code /actuator/info} tells an operator which build runs: the build's artifact and version
 * (spring-boot-maven-plugin's {@code build-info}) and the commit it was built from
 * (git-commit-id-maven-plugin's {@code git.properties}). Every service is built the same way.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.hikari.maximum-pool-size=2"})
@DirtiesContext
class BuildInfoIntegrationTests {

    private static final TestInfrastructure INFRA = TestInfrastructure.fresh("build-info");

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        INFRA.register(registry);
    }

    @LocalServerPort
    int port;

    @Test
    void infoNamesTheBuildAndTheCommit() {
        JsonNode info = new HttpTester(port).get("/actuator/info").json();

        assertThat(info.path("build").path("artifact").asString()).isEqualTo("ingress-service");
        assertThat(info.path("build").path("version").asString()).isNotBlank();
        assertThat(info.path("build").path("time").asString()).isNotBlank();

        assumeTrue(getClass().getResource("/git.properties") != null,
                "built without git information (no .git directory: a linked worktree or a source archive),"
                        + " so /actuator/info has no git part to check");
        assertThat(info.path("git").path("commit").path("id").asString()).hasSizeGreaterThanOrEqualTo(7);
        assertThat(info.path("git").path("branch").asString()).isNotBlank();
    }
}
