package org.reseq.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * deploy/compose/compose.yaml: the four services are built from the Dockerfile's targets, check
 * their health, start only once PostgreSQL and Redis are healthy, and restart; docker-compose
 * itself accepts the file where it is installed.
 */
class ComposeFileTests {

    private static final YAMLMapper YAML = YAMLMapper.builder().build();
    private static final Path COMPOSE_FILE = Path.of("deploy", "compose", "compose.yaml");
    private static final List<String> SERVICES = List.of("ingress", "transform-worker", "resequencer", "egress");

    @Test
    void theServicesCheckTheirHealthAndWaitForHealthyStores() throws IOException {
        checkServices(withMergesResolved(YAML.readTree(ExternalCommand.home().resolve(COMPOSE_FILE).toFile())));
    }

    @Test
    void dockerComposeAcceptsTheFile() {
        assumeTrue(ExternalCommand.works("docker-compose", "version"),
                "docker-compose is not installed here: the file is not validated by it"
                        + " (its content is checked by the other tests)");
        ExternalCommand.Result valid = ExternalCommand.run(Duration.ofMinutes(1), "docker-compose", "-f",
                COMPOSE_FILE.toString(), "config", "-q");
        assertThat(valid.succeeded()).as(valid.output()).isTrue();
        // What compose itself makes of the file, anchors and merges resolved by it, passes the same checks.
        ExternalCommand.Result resolved = ExternalCommand.run(Duration.ofMinutes(1), "docker-compose", "-f",
                COMPOSE_FILE.toString(), "config");
        assertThat(resolved.succeeded()).as(resolved.output()).isTrue();
        checkServices(YAML.readTree(resolved.output()));
    }

    @Test
    void everyTargetTheFileBuildsIsInTheDockerfile() throws IOException {
        String dockerfile = Files.readString(ExternalCommand.home().resolve("deploy/docker/Dockerfile"));
        JsonNode services = withMergesResolved(YAML.readTree(ExternalCommand.home().resolve(COMPOSE_FILE).toFile()))
                .path("services");
        for (var service : services.properties()) {
            JsonNode build = service.getValue().path("build");
            if (build.isMissingNode()) {
                continue;
            }
            assertThat(build.path("dockerfile").asString()).isEqualTo("deploy/docker/Dockerfile");
            assertThat(dockerfile).as("target of " + service.getKey())
                    .containsPattern("(?m)^FROM \\S+ AS " + Pattern.quote(build.path("target").asString()) + "$");
        }
    }

    private static void checkServices(JsonNode compose) {
        JsonNode services = compose.path("services");
        assertThat(services.path("postgres").path("image").asString()).startsWith("postgres:15");
        assertThat(services.path("redis").path("image").asString()).startsWith("redis:7");
        for (String store : List.of("postgres", "redis")) {
            assertThat(services.path(store).path("healthcheck").path("test").isEmpty()).as(store).isFalse();
        }
        for (String name : SERVICES) {
            JsonNode service = services.path(name);
            assertThat(service.isObject()).as(name).isTrue();
            assertThat(service.path("build").path("target").asString()).as(name).isEqualTo(name);
            JsonNode healthcheck = service.path("healthcheck").path("test");
            assertThat(healthcheck.isArray() && !healthcheck.isEmpty()).as(name + " healthcheck").isTrue();
            assertThat(healthcheck.toString()).as(name).contains("readiness");
            for (String store : List.of("postgres", "redis")) {
                assertThat(service.path("depends_on").path(store).path("condition").asString())
                        .as(name + " depends on " + store).isEqualTo("service_healthy");
            }
            assertThat(service.path("restart").asString()).as(name).isIn("always", "unless-stopped", "on-failure");
            JsonNode environment = service.path("environment");
            for (String variable : List.of("SPRING_DATASOURCE_URL", "SPRING_DATASOURCE_PASSWORD", "SPRING_DATA_REDIS_URL",
                    "RESEQ_SECURITY_ENABLED")) {
                assertThat(environment.has(variable)).as(name + " " + variable).isTrue();
            }
        }
        assertThat(services.path("demo-setup").path("depends_on").path("ingress").path("condition").asString())
                .isEqualTo("service_healthy");
    }

    /**
     * The file with its merge keys ({@code <<: *x-name}) resolved. The YAML reader gives an alias
     * as the anchor's name; the file names each anchor after the top-level {@code x-} key it is
     * on, which is all this resolution knows.
     */
    private static JsonNode withMergesResolved(JsonNode root) {
        return resolve(root, root);
    }

    private static JsonNode resolve(JsonNode node, JsonNode root) {
        if (node.isArray()) {
            var copy = YAML.createArrayNode();
            node.forEach(element -> copy.add(resolve(element, root)));
            return copy;
        }
        if (!node.isObject()) {
            return node;
        }
        ObjectNode copy = YAML.createObjectNode();
        JsonNode merged = node.path("<<");
        if (!merged.isMissingNode()) {
            JsonNode anchored = root.path(merged.asString());
            assertThat(anchored.isObject()).as("anchor " + merged.asString() + " is a top-level x- key").isTrue();
            resolve(anchored, root).properties().forEach(e -> copy.set(e.getKey(), e.getValue()));
        }
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            if (!entry.getKey().equals("<<")) {
                copy.set(entry.getKey(), resolve(entry.getValue(), root));
            }
        }
        return copy;
    }
}
