package org.reseq.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The Kubernetes base in deploy/kubernetes: what {@code kubectl kustomize} renders from it (or,
 * where kubectl is not installed, the resource files the kustomization lists) gives every service
 * probes, resources, a hand-over-friendly shutdown, a PodDisruptionBudget, a non-root read-only
 * container, and credentials only by Secret reference; the worker scales by an autoscaler.
 */
class KubernetesManifestsTests {

    private static final YAMLMapper YAML = YAMLMapper.builder().build();
    private static final Path BASE = Path.of("deploy", "kubernetes");
    private static final Set<String> SERVICES = Set.of("reseq-ingress", "reseq-transform-worker", "reseq-resequencer",
            "reseq-egress");

    @Test
    void kustomizeRendersTheBase() {
        assumeTrue(kubectlAvailable(), "kubectl is not installed here: the render is not checked"
                + " (the resource files themselves are, by the other tests)");
        ExternalCommand.Result rendered = ExternalCommand.run(Duration.ofMinutes(1), "kubectl", "kustomize",
                BASE.toString());
        assertThat(rendered.succeeded()).as(rendered.output()).isTrue();
        assertThat(kinds(parse(rendered.output()))).containsEntry("Deployment", 4).containsEntry("Service", 4)
                .containsEntry("PodDisruptionBudget", 4).containsEntry("HorizontalPodAutoscaler", 1)
                .containsEntry("ConfigMap", 1).doesNotContainKey("Secret");
    }

    @Test
    void everyContainerHasBothProbesResourcesAndAHandOverFriendlyShutdown() {
        List<JsonNode> deployments = ofKind(manifests(), "Deployment");
        assertThat(deployments).extracting(d -> d.path("metadata").path("name").asString())
                .containsExactlyInAnyOrderElementsOf(SERVICES);
        for (JsonNode deployment : deployments) {
            String name = deployment.path("metadata").path("name").asString();
            JsonNode pod = deployment.path("spec").path("template").path("spec");
            assertThat(pod.path("containers").size()).as(name).isPositive();
            for (JsonNode container : pod.path("containers")) {
                String what = name + "/" + container.path("name").asString();
                assertThat(container.path("livenessProbe").path("httpGet").path("path").asString()).as(what)
                        .isEqualTo("/actuator/health/liveness");
                assertThat(container.path("readinessProbe").path("httpGet").path("path").asString()).as(what)
                        .isEqualTo("/actuator/health/readiness");
                JsonNode resources = container.path("resources");
                assertThat(resources.path("requests").path("cpu").asString()).as(what + " cpu request").isNotEmpty();
                assertThat(resources.path("requests").path("memory").asString()).as(what + " memory request")
                        .isNotEmpty();
                assertThat(resources.path("limits").path("memory").asString()).as(what + " memory limit")
                        .isNotEmpty();
                // The heap (-Xmx512m in the images) must fit the limit with room for the rest of the JVM.
                assertThat(mebibytes(resources.path("limits").path("memory").asString())).as(what)
                        .isGreaterThanOrEqualTo(640);

                JsonNode security = container.path("securityContext");
                assertThat(security.path("readOnlyRootFilesystem").asBoolean()).as(what).isTrue();
                assertThat(security.path("allowPrivilegeEscalation").asBoolean(true)).as(what).isFalse();
                assertThat(container.path("volumeMounts").findValuesAsString("mountPath")).as(what).contains("/tmp");

                long preStop = container.path("lifecycle").path("preStop").path("sleep").path("seconds").asLong();
                assertThat(preStop).as(what + " preStop sleep").isPositive();
                assertThat(pod.path("terminationGracePeriodSeconds").asLong()).as(what)
                        .isGreaterThanOrEqualTo(preStop + 20);

                Set<String> configuredByValue = new HashSet<>();
                for (JsonNode variable : container.path("env")) {
                    if (variable.has("value")) {
                        configuredByValue.add(variable.path("name").asString());
                    }
                }
                assertThat(configuredByValue).as(what + ": credentials come from Secrets")
                        .doesNotContain("SPRING_DATASOURCE_PASSWORD", "SPRING_DATA_REDIS_URL",
                                "SPRING_APPLICATION_JSON");
                assertThat(container.path("env").findValues("secretKeyRef")).as(what).isNotEmpty();
            }
            JsonNode podSecurity = pod.path("securityContext");
            assertThat(podSecurity.path("runAsNonRoot").asBoolean()).as(name).isTrue();
            assertThat(podSecurity.path("runAsUser").asLong()).as(name).isPositive();
            assertThat(pod.path("volumes").findValues("emptyDir")).as(name).isNotEmpty();
        }
    }

    @Test
    void everyServiceHasADisruptionBudgetAndAService() {
        List<JsonNode> all = manifests();
        for (JsonNode deployment : ofKind(all, "Deployment")) {
            String name = deployment.path("metadata").path("name").asString();
            JsonNode podLabels = deployment.path("spec").path("template").path("metadata").path("labels");
            assertThat(ofKind(all, "PodDisruptionBudget")).as("a PodDisruptionBudget for " + name)
                    .anySatisfy(budget -> {
                        assertThat(selects(budget.path("spec").path("selector").path("matchLabels"), podLabels))
                                .isTrue();
                        assertThat(budget.path("spec").has("minAvailable") || budget.path("spec").has("maxUnavailable"))
                                .isTrue();
                    });
            assertThat(ofKind(all, "Service")).as("a Service for " + name)
                    .anySatisfy(service -> assertThat(selects(service.path("spec").path("selector"), podLabels))
                            .isTrue());
        }
    }

    @Test
    void theWorkerScalesByCpuAndTheOthersKeepAFixedCount() {
        List<JsonNode> all = manifests();
        List<JsonNode> autoscalers = ofKind(all, "HorizontalPodAutoscaler");
        assertThat(autoscalers).singleElement().satisfies(hpa -> {
            assertThat(hpa.path("spec").path("scaleTargetRef").path("name").asString())
                    .isEqualTo("reseq-transform-worker");
            assertThat(hpa.path("spec").path("metrics").findValuesAsString("name")).contains("cpu");
            assertThat(hpa.path("spec").path("minReplicas").asInt()).isGreaterThanOrEqualTo(2);
        });
        for (JsonNode deployment : ofKind(all, "Deployment")) {
            String name = deployment.path("metadata").path("name").asString();
            if (name.equals("reseq-transform-worker")) {
                assertThat(deployment.path("spec").has("replicas")).as("the autoscaler owns the worker's count")
                        .isFalse();
            } else {
                // Two or more: a second resequencer or egress instance takes the leases over within seconds.
                assertThat(deployment.path("spec").path("replicas").asInt()).as(name).isGreaterThanOrEqualTo(2);
            }
        }
    }

    @Test
    void theExampleSecretHasEveryKeyTheDeploymentsReference() throws IOException {
        Map<String, Set<String>> referenced = new TreeMap<>();
        for (JsonNode reference : manifests().stream().flatMap(m -> m.findValues("secretKeyRef").stream()).toList()) {
            referenced.computeIfAbsent(reference.path("name").asString(), n -> new HashSet<>())
                    .add(reference.path("key").asString());
        }
        Map<String, Set<String>> example = new TreeMap<>();
        for (JsonNode secret : parse(Files.readString(ExternalCommand.home().resolve(BASE).resolve("secret.example.yaml")))) {
            Set<String> keys = new HashSet<>();
            secret.path("stringData").propertyNames().forEach(keys::add);
            example.put(secret.path("metadata").path("name").asString(), keys);
        }
        assertThat(example).isEqualTo(referenced);
    }

    /** The rendered base where kubectl is installed, else the resource files the kustomization lists. */
    private static List<JsonNode> manifests() {
        if (kubectlAvailable()) {
            ExternalCommand.Result rendered = ExternalCommand.run(Duration.ofMinutes(1), "kubectl", "kustomize",
                    BASE.toString());
            assertThat(rendered.succeeded()).as(rendered.output()).isTrue();
            return parse(rendered.output());
        }
        try {
            Path base = ExternalCommand.home().resolve(BASE);
            JsonNode kustomization = YAML.readTree(base.resolve("kustomization.yaml").toFile());
            List<JsonNode> documents = new ArrayList<>();
            for (JsonNode resource : kustomization.path("resources")) {
                documents.addAll(parse(Files.readString(base.resolve(resource.asString()))));
            }
            return documents;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + BASE, e);
        }
    }

    private static boolean kubectlAvailable() {
        return ExternalCommand.works("kubectl", "version", "--client");
    }

    private static List<JsonNode> parse(String yaml) {
        List<JsonNode> documents = new ArrayList<>();
        try (MappingIterator<JsonNode> iterator = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (iterator.hasNextValue()) {
                JsonNode document = iterator.nextValue();
                if (document != null && document.isObject()) {
                    documents.add(document);
                }
            }
        }
        return documents;
    }

    private static List<JsonNode> ofKind(List<JsonNode> documents, String kind) {
        return documents.stream().filter(d -> d.path("kind").asString().equals(kind)).toList();
    }

    private static Map<String, Integer> kinds(List<JsonNode> documents) {
        Map<String, Integer> kinds = new TreeMap<>();
        documents.forEach(d -> kinds.merge(d.path("kind").asString(), 1, Integer::sum));
        return kinds;
    }

    /** Whether a label selector (its matchLabels) is non-empty and matches these labels. */
    private static boolean selects(JsonNode selector, JsonNode labels) {
        if (selector.isEmpty()) {
            return false;
        }
        for (var entry : selector.properties()) {
            if (!labels.path(entry.getKey()).asString().equals(entry.getValue().asString())) {
                return false;
            }
        }
        return true;
    }

    private static long mebibytes(String quantity) {
        if (quantity.endsWith("Gi")) {
            return Long.parseLong(quantity.substring(0, quantity.length() - 2)) * 1024;
        }
        if (quantity.endsWith("Mi")) {
            return Long.parseLong(quantity.substring(0, quantity.length() - 2));
        }
        throw new IllegalArgumentException("a memory quantity in Mi or Gi expected: " + quantity);
    }
}
