package org.reseq.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * deploy/docker/Dockerfile, read as text: a target per service from that service's jar, on the
 * base the build argument names, as a non-root user, with the local stack's JVM options as
 * defaults, structured logs and a readiness health check.
 */
class DockerfileTests {

    /** The Dockerfile's target for each service. */
    static final Map<ServiceKind, String> TARGETS = Map.of(
            ServiceKind.INGRESS, "ingress",
            ServiceKind.TRANSFORM_WORKER, "transform-worker",
            ServiceKind.RESEQUENCER, "resequencer",
            ServiceKind.EGRESS, "egress");

    private static final Pattern FROM = Pattern.compile("^FROM (\\S+) AS (\\S+)$");

    /** Each stage's instructions (continuation lines joined), by stage name, and its base. */
    private static final Map<String, List<String>> STAGES = new LinkedHashMap<>();
    private static final Map<String, String> BASES = new LinkedHashMap<>();
    private static String text;

    @BeforeAll
    static void read() throws IOException {
        text = Files.readString(ExternalCommand.home().resolve("deploy/docker/Dockerfile"));
        List<String> current = null;
        StringBuilder line = new StringBuilder();
        for (String raw : text.split("\n")) {
            if (raw.startsWith("#") && line.isEmpty()) {
                continue;
            }
            if (raw.endsWith("\\")) {
                line.append(raw, 0, raw.length() - 1).append(' ');
                continue;
            }
            String instruction = line.append(raw).toString().trim().replaceAll("\\s+", " ");
            line.setLength(0);
            Matcher from = FROM.matcher(instruction);
            if (from.matches()) {
                current = new ArrayList<>();
                STAGES.put(from.group(2), current);
                BASES.put(from.group(2), from.group(1));
            } else if (current != null && !instruction.isEmpty()) {
                current.add(instruction);
            }
        }
    }

    @Test
    void theBaseImageIsABuildArgumentDefaultingToTheTemurin25Jre() {
        assertThat(text).containsPattern("(?m)^ARG BASE_IMAGE=eclipse-temurin:25-jre$");
        BASES.forEach((stage, base) -> assertThat(base).as(stage).isIn("${BASE_IMAGE}", "service"));
    }

    @Test
    void eachServiceRunsItsOwnJarAsANonRootUserWithTheLocalStacksJvmOptions() {
        List<String> common = STAGES.get("service");
        assertThat(common).as("the common stage").isNotNull();
        assertThat(common).anyMatch(i -> i.matches("USER [1-9][0-9]*:[1-9][0-9]*"));
        assertThat(common).anyMatch(i -> i.startsWith("ENV ") && i.contains("LOGGING_STRUCTURED_FORMAT_CONSOLE=ecs"));
        assertThat(common).anyMatch(i -> i.startsWith("HEALTHCHECK ") && i.contains("/opt/reseq/healthcheck")
                && i.contains("readiness"));
        assertThat(common).anyMatch(i -> i.startsWith("ENTRYPOINT ") && i.contains("exec java $JAVA_OPTS"));

        TARGETS.forEach((kind, target) -> {
            List<String> stage = STAGES.get(target);
            assertThat(stage).as(target).isNotNull();
            assertThat(BASES.get(target)).as(target).isEqualTo("service");
            String options = String.join(" ", SuiteSettings.defaultJavaOptions(kind));
            assertThat(stage).as(target + " JAVA_OPTS").anyMatch(i -> i.startsWith("ENV ")
                    && i.contains("JAVA_OPTS=\"" + options + "\""));
            assertThat(stage).as(target + " port").anyMatch(i -> i.startsWith("ENV ")
                    && i.contains("SERVER_PORT=" + kind.defaultPort()));
            assertThat(stage).as(target).contains("EXPOSE " + kind.defaultPort());
            assertThat(stage).as(target + " copies its own layers")
                    .allMatch(i -> !i.startsWith("COPY --from=") || i.startsWith("COPY --from=" + target + "-layers "));
            assertThat(STAGES.get(target + "-layers")).as(target + "-layers")
                    .anyMatch(i -> i.startsWith("COPY " + kind.module() + "/target/" + kind.module() + "-${VERSION}-exec.jar "))
                    .anyMatch(i -> i.contains("\"-Djarmode=tools\"") && i.contains("\"extract\"")
                            && i.contains("\"--layers\""));
        });
    }
}
