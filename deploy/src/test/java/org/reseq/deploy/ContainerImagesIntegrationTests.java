package org.reseq.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;
import org.reseq.infra.Infrastructure;
import org.reseq.infra.PostgresServer;
import tools.jackson.databind.JsonNode;

/**
 * The container images (deploy/docker/Dockerfile) built and run: the four service images are
 * built with deploy/docker/build-images and started with podman or docker on the host's network,
 * with a read-only root file system and a writable /tmp (as deploy/kubernetes runs them), against
 * this machine's PostgreSQL (a fresh database) and Redis (a key prefix of its own). A message
 * posted to the containerised ingress reaches a destination this test runs, in order, through the
 * containerised worker, resequencer and egress. Then the containers are stopped with SIGTERM and
 * must exit by themselves, well before the engine would kill them.
 *
 * <p>Skipped, saying why, where neither podman nor a docker engine can build and run containers.
 * The base image is made from this JDK by deploy/docker/build-local-base, so that no registry is
 * needed; {@code -Dreseq.images.base=eclipse-temurin:25-jre} uses a published one instead. The
 * images are tagged {@code localhost/reseq-test/reseq/<target>:<version>}, apart from the ones
 * build-images makes for use. Each container's log is kept in deploy/target/container-logs.
 */
class ContainerImagesIntegrationTests {

    /** Lower limits: some hosts (nested containers) refuse the engine's defaults. */
    private static final List<String> LIMITS = List.of("--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024");
    private static final String REGISTRY = "localhost/reseq-test";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static List<String> engine;
    private static final Map<ServiceKind, String> containers = new EnumMap<>(ServiceKind.class);
    private static final Map<ServiceKind, Integer> ports = new EnumMap<>(ServiceKind.class);
    private static final Map<String, Long> timings = new LinkedHashMap<>();
    private static Path logs;

    /** Why the tests are skipped here, or null. */
    private static String skipped;

    /**
     * Builds and starts the images; where that is not possible here, each test is skipped with
     * the reason (an assumption failing in here would skip the class without one in the reports).
     */
    @BeforeAll
    static void buildAndStartTheImagesWherePossible() throws Exception {
        try {
            buildAndStartTheImages();
        } catch (TestAbortedException e) {
            skipped = String.valueOf(e.getMessage()).replaceFirst("^Assumption failed: ", "");
            System.out.println("ContainerImagesIntegrationTests skipped: " + skipped);
        }
    }

    private static void buildAndStartTheImages() throws Exception {
        List<List<String>> candidates = containerEngines();
        assumeTrue(!candidates.isEmpty(), "No container engine here: neither podman nor a docker engine answers"
                + " (podman info / docker info); the images are neither built nor run");
        engine = candidates.getFirst();
        Path home = ExternalCommand.home();
        logs = Files.createDirectories(home.resolve("deploy/target/container-logs"));

        long started = System.nanoTime();
        String base = baseImage();
        timings.put("base image", millisSince(started));
        engine = engineThatRuns(candidates, base);

        String version = version(home);
        started = System.nanoTime();
        List<String> build = new ArrayList<>(List.of("deploy/docker/build-images", "--skip-build", "--base-image", base,
                "--version", version, "--registry", REGISTRY));
        DockerfileTests.TARGETS.values().forEach(target -> build.addAll(List.of("--only", target)));
        build.add("--");
        build.addAll(LIMITS);
        ExternalCommand.Result built = ExternalCommand.run(Duration.ofMinutes(15),
                Map.of("CONTAINER_ENGINE", String.join(" ", engine)), build.toArray(String[]::new));
        assertThat(built.succeeded()).as(built.output()).isTrue();
        timings.put("build of the four images", millisSince(started));

        PostgresServer postgres = Infrastructure.postgres();
        String jdbcUrl = postgres.createFreshDatabase("images");
        String redisUrl = Infrastructure.redis().url();
        String prefix = "images-" + UUID.randomUUID() + ":";
        String run = UUID.randomUUID().toString().substring(0, 8);
        ports.putAll(ServicePorts.forEachService());

        started = System.nanoTime();
        for (ServiceKind kind : ServiceKind.values()) {
            String name = "reseq-it-" + run + "-" + DockerfileTests.TARGETS.get(kind);
            ExternalCommand.Result launched = ExternalCommand.run(Duration.ofMinutes(1), command("run", "-d", "--rm",
                    "--name", name, LIMITS, "--network", "host",
                    // As the Kubernetes base runs them: nothing writable but /tmp.
                    "--read-only", "--tmpfs", "/tmp",
                    "-e", "SERVER_PORT=" + ports.get(kind),
                    "-e", "SPRING_DATASOURCE_URL=" + jdbcUrl,
                    "-e", "SPRING_DATASOURCE_USERNAME=" + postgres.user(),
                    "-e", "SPRING_DATASOURCE_PASSWORD=" + postgres.password(),
                    "-e", "SPRING_DATA_REDIS_URL=" + redisUrl,
                    "-e", "RESEQ_REDIS_KEY_PREFIX=" + prefix,
                    REGISTRY + "/reseq/" + DockerfileTests.TARGETS.get(kind) + ":" + version));
            assertThat(launched.succeeded()).as(launched.output()).isTrue();
            containers.put(kind, name);
        }
        CompletableFuture.allOf(containers.keySet().stream()
                .map(kind -> CompletableFuture.runAsync(() -> awaitReady(kind)))
                .toArray(CompletableFuture[]::new)).join();
        timings.put("start of the four containers until all are ready", millisSince(started));
    }

    @AfterAll
    static void stopTheContainers() {
        if (containers.isEmpty()) {
            return;
        }
        long started = System.nanoTime();
        containers.values().forEach(ContainerImagesIntegrationTests::keepLog);
        Map<String, Long> stopMillis = new ConcurrentHashMap<>();
        CompletableFuture.allOf(containers.values().stream()
                .map(name -> CompletableFuture.runAsync(() -> {
                    long stopping = System.nanoTime();
                    ExternalCommand.run(Duration.ofMinutes(2), command("stop", "-t", "30", name));
                    stopMillis.put(name, millisSince(stopping));
                }))
                .toArray(CompletableFuture[]::new)).join();
        timings.put("graceful stop of the four containers", millisSince(started));
        System.out.println("container images (" + String.join(" ", engine) + "): " + timings);
        // SIGTERM ends each service by itself; the engine's SIGKILL would come after 30 s.
        assertThat(stopMillis.values()).as("stop times (ms) " + stopMillis).allMatch(ms -> ms < 25_000);
    }

    @Test
    void aMessagePostedToTheContainerisedIngressIsDeliveredInOrder() throws Exception {
        assumeTrue(skipped == null, () -> skipped);
        String ingress = "http://127.0.0.1:" + ports.get(ServiceKind.INGRESS);
        try (RecordingDestination destination = new RecordingDestination()) {
            SuiteClient.put(ingress + "/admin/v1/destinations/boxed", """
                    { "type": "HTTP", "url": "%s", "transforms": [ { "type": "delay", "minMs": 0, "maxMs": 100 } ] }"""
                    .formatted(destination.url()));
            SuiteClient.put(ingress + "/admin/v1/channels/boxed", "{ \"destinations\": [\"boxed\"] }");

            long started = System.nanoTime();
            List<String> bodies = new ArrayList<>();
            for (int i = 1; i <= 5; i++) {
                String body = "in a box " + i;
                assertThat(SuiteClient.post(ingress, "boxed", body, "boxed-" + i)).as(body).isPresent();
                bodies.add(body);
            }
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(100))
                    .until(() -> destination.count() >= bodies.size());
            timings.put("five messages posted until all delivered", millisSince(started));

            assertThat(destination.received()).extracting(RecordingDestination.Received::sequence)
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, bodies.size()).boxed().toList());
            assertThat(destination.received()).extracting(RecordingDestination.Received::body)
                    .containsExactlyElementsOf(bodies);
        }
    }

    @Test
    void theContainersRunAsNonRootCheckTheirOwnHealthAndLogEcsJson() {
        assumeTrue(skipped == null, () -> skipped);
        for (var container : containers.entrySet()) {
            String name = container.getValue();
            ExternalCommand.Result uid = ExternalCommand.run(Duration.ofSeconds(30), command("exec", name, "/bin/bash",
                    "-c", "while read -r key value _; do [ \"$key\" = Uid: ] && echo \"$value\"; done < /proc/1/status"));
            assertThat(uid.output().trim()).as(name + " runs java as").isEqualTo("10001");
            for (String group : List.of("readiness", "liveness")) {
                ExternalCommand.Result health = ExternalCommand.run(Duration.ofSeconds(30),
                        command("exec", name, "/opt/reseq/healthcheck", group));
                assertThat(health.succeeded()).as(name + " " + group + ": " + health.output()).isTrue();
            }
            ExternalCommand.Result log = ExternalCommand.run(Duration.ofSeconds(30), command("logs", name));
            assertThat(log.output().lines().filter(l -> l.startsWith("{")).map(ContainerImagesIntegrationTests::json)
                    .anyMatch(entry -> entry != null && entry.has("@timestamp")
                            && (entry.has("ecs") || entry.has("ecs.version"))))
                    .as(name + " logs ECS JSON").isTrue();
        }
    }

    /** Waits until the service's readiness answers 200, failing early if its container is gone. */
    private static void awaitReady(ServiceKind kind) {
        HttpRequest readiness = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports.get(kind)
                + "/actuator/health/readiness")).timeout(Duration.ofSeconds(2)).build();
        await().atMost(Duration.ofMinutes(6)).pollInterval(Duration.ofMillis(500)).until(() -> {
            ExternalCommand.Result running = ExternalCommand.run(Duration.ofSeconds(30),
                    command("inspect", "--format", "{{.State.Running}}", containers.get(kind)));
            if (!running.output().trim().equals("true")) {
                throw new IllegalStateException(containers.get(kind) + " stopped: " + running.output());
            }
            try {
                return HTTP.send(readiness, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        });
    }

    private static void keepLog(String name) {
        ExternalCommand.Result log = ExternalCommand.run(Duration.ofSeconds(30), command("logs", name));
        try {
            Files.writeString(logs.resolve(name + ".log"), log.output());
        } catch (IOException e) {
            System.err.println("Cannot keep the log of " + name + ": " + e.getMessage());
        }
    }

    private static JsonNode json(String line) {
        try {
            return SuiteClient.JSON.readTree(line);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * The engines that answer: CONTAINER_ENGINE (a command with its options) if set, else docker
     * when its engine answers, and podman; podman also with runc, for hosts where its default
     * runtime cannot run containers (crun on hybrid cgroups, say).
     */
    private static List<List<String>> containerEngines() {
        String configured = System.getenv("CONTAINER_ENGINE");
        List<List<String>> candidates = configured != null && !configured.isBlank()
                ? List.of(List.of(configured.trim().split("\\s+")))
                : List.of(List.of("docker"), List.of("podman"), List.of("podman", "--runtime", "runc"));
        List<List<String>> answering = new ArrayList<>();
        for (List<String> candidate : candidates) {
            List<String> info = new ArrayList<>(candidate);
            info.add("info");
            if (ExternalCommand.works(info.toArray(String[]::new))) {
                answering.add(candidate);
            }
        }
        return answering;
    }

    /** The first engine that runs a container of {@code base}; skips the test if none does. */
    private static List<String> engineThatRuns(List<List<String>> candidates, String base) {
        StringBuilder failures = new StringBuilder();
        for (List<String> candidate : candidates) {
            engine = candidate;
            ExternalCommand.Result probe = ExternalCommand.run(Duration.ofMinutes(2),
                    command("run", "--rm", LIMITS, base, "java", "-version"));
            if (probe.succeeded()) {
                return candidate;
            }
            failures.append("\n").append(String.join(" ", candidate)).append(": ").append(probe.output().strip());
        }
        assumeTrue(false, "No container engine here can run a container of " + base + ":" + failures);
        return null;
    }

    /** reseq.images.base, else a base made from this JDK (which must then have jlink). */
    private static String baseImage() {
        String configured = System.getProperty("reseq.images.base", "");
        if (!configured.isBlank()) {
            return configured;
        }
        Path javaHome = Path.of(System.getProperty("java.home"));
        assumeTrue(Files.isExecutable(javaHome.resolve("bin/jlink")), "No jlink in " + javaHome
                + " to make a base image from, and no -Dreseq.images.base named one");
        ExternalCommand.Result made = ExternalCommand.run(Duration.ofMinutes(10),
                Map.of("JAVA_HOME", javaHome.toString(), "CONTAINER_ENGINE", String.join(" ", engine),
                        "RESEQ_BUILD_ARGS", String.join(" ", LIMITS)),
                "deploy/docker/build-local-base", REGISTRY + "/reseq-base:" + Runtime.version().feature());
        assertThat(made.succeeded()).as(made.output()).isTrue();
        List<String> lines = made.output().strip().lines().toList();
        return lines.getLast().strip();
    }

    /** The project version, from the ingress jar's name. */
    private static String version(Path home) {
        String jar = Suite.runnableJar(home, ServiceKind.INGRESS).getFileName().toString();
        return jar.substring("ingress-service-".length(), jar.length() - "-exec.jar".length());
    }

    /** The engine's command line: strings and lists of strings, flattened. */
    private static String[] command(Object... parts) {
        List<String> command = new ArrayList<>(engine);
        for (Object part : parts) {
            if (part instanceof List<?> list) {
                list.forEach(p -> command.add(p.toString()));
            } else {
                command.add(part.toString());
            }
        }
        return command.toArray(String[]::new);
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}
