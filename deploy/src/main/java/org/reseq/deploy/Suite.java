package org.reseq.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/** Every instance of every service of one suite, started and stopped together. */
public final class Suite implements AutoCloseable {

    private final List<ServiceProcess> processes = new ArrayList<>();

    private Suite(List<ServiceProcess> processes) {
        this.processes.addAll(processes);
    }

    /**
     * Starts every instance and waits until each one is healthy.
     *
     * @throws IllegalStateException when a port is taken: whatever listens there (say, a stack
     *         still running) would answer the health checks in place of the instance that fails
     */
    public static Suite start(SuiteSettings settings, Duration healthTimeout) {
        for (ServiceKind kind : ServiceKind.values()) {
            for (int replica = 0; replica < settings.replicas(); replica++) {
                requireFree(port(settings, kind, replica), kind);
            }
        }
        List<ServiceProcess> processes = new ArrayList<>();
        for (ServiceKind kind : ServiceKind.values()) {
            Path jar = runnableJar(settings.home(), kind);
            for (int replica = 0; replica < settings.replicas(); replica++) {
                processes.add(new ServiceProcess(kind, replica, settings.hosts().apply(kind, replica),
                        port(settings, kind, replica), jar, environment(settings, kind, replica),
                        settings.javaOptions().apply(kind),
                        settings.logDirectory().resolve(kind.module() + "-" + replica + ".log")));
            }
        }
        Suite suite = new Suite(processes);
        Runtime.getRuntime().addShutdownHook(new Thread(suite::close));
        try {
            processes.forEach(ServiceProcess::start);
            CompletableFuture.allOf(processes.stream()
                            .map(p -> CompletableFuture.runAsync(() -> p.awaitHealthy(healthTimeout)))
                            .toArray(CompletableFuture[]::new))
                    .join();
        } catch (RuntimeException e) {
            suite.close();
            throw e;
        }
        return suite;
    }

    /** The instances of one service. */
    public List<ServiceProcess> instances(ServiceKind kind) {
        return processes.stream().filter(p -> p.kind() == kind).toList();
    }

    public List<ServiceProcess> all() {
        return List.copyOf(processes);
    }

    /** Stops every instance gracefully, all at once. */
    @Override
    public void close() {
        CompletableFuture.allOf(processes.stream()
                        .map(p -> CompletableFuture.runAsync(() -> p.stop(Duration.ofSeconds(15))))
                        .toArray(CompletableFuture[]::new))
                .join();
    }

    /** The service's runnable jar, as {@code ./mvnw package} leaves it in the module's target folder. */
    public static Path runnableJar(Path home, ServiceKind kind) {
        Path target = home.resolve(kind.module()).resolve("target");
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(f -> f.getFileName().toString().endsWith("-exec.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("No runnable jar in " + target
                            + ": build it with ./mvnw -DskipTests package"));
        } catch (IOException e) {
            throw new UncheckedIOException("No runnable jar for " + kind.module() + " in " + target
                    + ": build it with ./mvnw -DskipTests package", e);
        }
    }

    /** Replica k of a service listens on the service's base port + 10 k. */
    private static int port(SuiteSettings settings, ServiceKind kind, int replica) {
        return settings.basePorts().get(kind) + 10 * replica;
    }

    private static void requireFree(int port, ServiceKind kind) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(port));
        } catch (IOException e) {
            throw new IllegalStateException("Port " + port + " for " + kind.module()
                    + " is in use; is another reseq stack still running?", e);
        }
    }

    private static Map<String, String> environment(SuiteSettings settings, ServiceKind kind, int replica) {
        Map<String, String> environment = new HashMap<>(settings.properties());
        environment.put("SPRING_DATASOURCE_URL", settings.jdbcUrl());
        environment.put("SPRING_DATASOURCE_USERNAME", settings.databaseUser());
        environment.put("SPRING_DATASOURCE_PASSWORD", settings.databasePassword());
        environment.put("SPRING_DATA_REDIS_URL", settings.redisUrl());
        environment.put("RESEQ_REDIS_KEY_PREFIX", settings.keyPrefix());
        environment.put("RESEQ_INSTANCE_ID", kind.module() + "-" + replica + "-" + ProcessHandle.current().pid());
        return environment;
    }
}
