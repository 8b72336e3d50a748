package org.reseq.deploy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.reseq.infra.Infrastructure;
import org.reseq.infra.PostgresServer;
import org.reseq.infra.RedisServerAddress;

/**
 * The local stack behind {@code deploy/local/up}: PostgreSQL and Redis (the configured ones,
 * else the ones reachable on 127.0.0.1, else Testcontainers or embedded servers), the four
 * services as separate processes, and a demo destination and channel. Stops everything it
 * started on Ctrl-C or SIGTERM.
 *
 * <p>Options: {@code --replicas N} (replica k of a service listens on its base port + 10 * k),
 * {@code --demo-port P} (default 9000). Environment: {@code SPRING_DATASOURCE_URL},
 * {@code SPRING_DATASOURCE_USERNAME}, {@code SPRING_DATASOURCE_PASSWORD},
 * {@code SPRING_DATA_REDIS_URL}, {@code RESEQ_REDIS_KEY_PREFIX}, {@code RESEQ_JAVA_OPTS}, and
 * {@code RESEQ_ADMIN_KEY}: with security on, an API key with the role ADMIN that the demo setup
 * uses (without it, or if the destination guard refuses the demo's loopback address, the suite
 * runs without the demo and says why).
 */
public final class LocalStack {

    private LocalStack() {
    }

    public static void main(String[] args) throws Exception {
        int replicas = intOption(args, "--replicas", 1);
        int demoPort = intOption(args, "--demo-port", 9000);
        Path home = Path.of(System.getProperty("reseq.home", ".")).toAbsolutePath().normalize();

        String jdbcUrl = System.getenv("SPRING_DATASOURCE_URL");
        String user = envOr("SPRING_DATASOURCE_USERNAME", "postgres");
        String password = envOr("SPRING_DATASOURCE_PASSWORD", "");
        if (jdbcUrl == null || jdbcUrl.isBlank()) {
            PostgresServer postgres = Infrastructure.postgres();
            jdbcUrl = postgres.createDatabaseIfMissing("reseq");
            user = postgres.user();
            password = postgres.password();
            System.out.println("PostgreSQL: " + postgres.source() + ", database reseq at " + jdbcUrl);
        } else {
            System.out.println("PostgreSQL: configured, " + jdbcUrl);
        }
        String redisUrl = System.getenv("SPRING_DATA_REDIS_URL");
        if (redisUrl == null || redisUrl.isBlank()) {
            RedisServerAddress redis = Infrastructure.redis();
            redisUrl = redis.url();
            System.out.println("Redis: " + redis.source() + ", " + redisUrl);
        } else {
            System.out.println("Redis: configured, " + withoutPassword(redisUrl));
        }

        Map<ServiceKind, Integer> ports = new EnumMap<>(ServiceKind.class);
        for (ServiceKind kind : ServiceKind.values()) {
            ports.put(kind, kind.defaultPort());
        }
        String configuredOptions = System.getenv("RESEQ_JAVA_OPTS");
        List<String> javaOptions = configuredOptions == null || configuredOptions.isBlank()
                ? List.of() : List.of(configuredOptions.trim().split("\\s+"));
        SuiteSettings settings = new SuiteSettings(home, jdbcUrl, user, password, redisUrl,
                envOr("RESEQ_REDIS_KEY_PREFIX", "reseq:"), replicas, ports,
                home.resolve("deploy/local/.run/logs"), Map.of(),
                javaOptions.isEmpty() ? SuiteSettings::defaultJavaOptions : kind -> javaOptions);

        System.out.printf("Starting %d instance(s) of each service; logs in %s%n", replicas, settings.logDirectory());
        try (DemoDestination demo = DemoDestination.start(demoPort, System.out);
             Suite suite = Suite.start(settings, Duration.ofMinutes(3))) {
            String ingress = suite.instances(ServiceKind.INGRESS).getFirst().baseUrl();
            String adminKey = System.getenv("RESEQ_ADMIN_KEY");
            String refused = createDemoRoutes(ingress, demo.port(), adminKey);
            printWelcome(suite, ingress, demo.port(), refused);
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                System.out.println("Stopping reseq...");
                stopped.countDown();
            }));
            stopped.await();
        }
    }

    /**
     * Creates the demo destination and channel.
     *
     * @return null when they were created, else why not: with security on, the admin API wants an
     *         ADMIN key, and the destination guard may refuse the demo's loopback address
     */
    private static String createDemoRoutes(String ingress, int demoPort, String adminKey)
            throws IOException, InterruptedException {
        HttpResponse<String> destination = put(ingress + "/admin/v1/destinations/demo", """
                { "type": "HTTP", "url": "http://127.0.0.1:%d/demo",
                  "transforms": [ { "type": "delay", "minMs": 500, "maxMs": 1000 } ] }""".formatted(demoPort),
                adminKey);
        HttpResponse<String> answer = destination.statusCode() / 100 == 2
                ? put(ingress + "/admin/v1/channels/demo", "{ \"destinations\": [\"demo\"] }", adminKey)
                : destination;
        return switch (answer.statusCode()) {
            case 200, 201 -> null;
            case 401, 403 -> "security is on and RESEQ_ADMIN_KEY " + (adminKey == null ? "is not set" : "is not an ADMIN key")
                    + " (" + answer.statusCode() + ")";
            case 400 -> "the admin API refused it: " + answer.body()
                    + " (with security on, add \"destinations\":{\"allow\":[\"127.0.0.0/8\"]} to reseq.security)";
            default -> throw new IllegalStateException("PUT of the demo answered " + answer.statusCode() + ": "
                    + answer.body());
        };
    }

    private static HttpResponse<String> put(String url, String json, String adminKey)
            throws IOException, InterruptedException {
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(json));
            if (adminKey != null && !adminKey.isBlank()) {
                request.header("Authorization", "Bearer " + adminKey);
            }
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    /** A store URL as it may be printed: {@code redis://user:secret@host} loses its user part. */
    private static String withoutPassword(String url) {
        return url.replaceFirst("//[^/@]*@", "//***@");
    }

    private static void printWelcome(Suite suite, String ingress, int demoPort, String demoRefused) {
        System.out.println();
        System.out.println("reseq is running.");
        for (ServiceProcess process : suite.all()) {
            System.out.printf("  %-26s %s   (health: %s/actuator/health)%n", process, process.baseUrl(),
                    process.baseUrl());
        }
        if (demoRefused != null) {
            System.out.println();
            System.out.println("No demo destination: " + demoRefused + ".");
            System.out.println();
            System.out.println("Ctrl-C stops everything.");
            return;
        }
        System.out.printf("  %-26s http://127.0.0.1:%d/demo (prints what it receives)%n", "demo destination", demoPort);
        System.out.println();
        System.out.println("Try it: post three messages to the demo channel; they arrive in order below.");
        System.out.printf("  for i in 1 2 3; do curl -s -X POST -H 'Content-Type: text/plain' "
                + "--data \"hello $i\" %s/api/v1/channels/demo/messages; echo; done%n", ingress);
        System.out.printf("  curl -s %s/admin/v1/destinations/demo%n", ingress);
        if (System.getenv("RESEQ_ADMIN_KEY") != null) {
            System.out.println("  (with security on, add -H 'Authorization: Bearer <key>': INGEST to post, READ to read)");
        }
        System.out.println();
        System.out.println("Ctrl-C stops everything.");
    }

    private static int intOption(String[] args, String name, int fallback) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals(name) && i + 1 < args.length) {
                return Integer.parseInt(args[i + 1]);
            }
            if (args[i].startsWith(name + "=")) {
                return Integer.parseInt(args[i].substring(name.length() + 1));
            }
        }
        return fallback;
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
