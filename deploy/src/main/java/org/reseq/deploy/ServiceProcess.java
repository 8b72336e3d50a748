package org.reseq.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One instance of one service, running as its own operating-system process from the service's
 * runnable jar, on this host or on a test host ({@link SuiteSettings.Host}). Its output goes to a
 * log file, so that a crash can be read afterwards.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final ServiceKind kind;
    private final int replica;
    private final SuiteSettings.Host host;
    private final int port;
    private final Path jar;
    private final Map<String, String> environment;
    private final List<String> javaOptions;
    private final Path logFile;
    private Process process;

    ServiceProcess(ServiceKind kind, int replica, SuiteSettings.Host host, int port, Path jar,
                   Map<String, String> environment, List<String> javaOptions, Path logFile) {
        this.kind = kind;
        this.replica = replica;
        this.host = host;
        this.port = port;
        this.jar = jar;
        this.environment = Map.copyOf(environment);
        this.javaOptions = List.copyOf(javaOptions);
        this.logFile = logFile;
    }

    /** Starts the process; a running one is left alone. */
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        // A prefix such as "ip netns exec NS" execs java in place, so the process is still java itself.
        List<String> command = new ArrayList<>(host.commandPrefix());
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(javaOptions);
        command.add("-jar");
        command.add(jar.toString());
        command.add("--server.port=" + port);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        builder.environment().putAll(environment);
        try {
            Files.createDirectories(logFile.getParent());
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + this, e);
        }
    }

    /** Waits until {@code /actuator/health} answers UP; fails early when the process died. */
    public void awaitHealthy(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/health"))
                .timeout(Duration.ofSeconds(2)).build();
        while (Instant.now().isBefore(deadline)) {
            if (!isAlive()) {
                throw new IllegalStateException(this + " exited with " + process.exitValue() + "; see " + logFile);
            }
            try {
                HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && response.body().contains("\"UP\"")) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for " + this, e);
            }
            try {
                // Polling a child process's health endpoint: there is nothing to block on instead.
                TimeUnit.MILLISECONDS.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for " + this, e);
            }
        }
        throw new IllegalStateException(this + " was not healthy within " + timeout + "; see " + logFile);
    }

    /** Asks the process to stop (SIGTERM: graceful hand-over), then kills it after {@code grace}. */
    public synchronized void stop(Duration grace) {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Kills the process at once (SIGKILL), as a crash would. */
    public synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Freezes the process (SIGSTOP), as a long GC pause or a paused VM would: its sockets stay open. */
    public synchronized void pause() {
        signal("STOP");
    }

    /** Lets a paused process go on (SIGCONT). */
    public synchronized void resume() {
        signal("CONT");
    }

    private void signal(String name) {
        if (process == null || !process.isAlive()) {
            return;
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " of " + this + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot signal " + this, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while signalling " + this, e);
        }
    }

    /** The name this instance holds leases under ({@code reseq.instance-id}). */
    public String instanceId() {
        return environment.get("RESEQ_INSTANCE_ID");
    }

    /** True when the process runs and its readiness probe answers UP right now. */
    public boolean isReady() {
        if (!isAlive()) {
            return false;
        }
        try {
            HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(
                            URI.create(baseUrl() + "/actuator/health/readiness")).timeout(Duration.ofSeconds(1)).build(),
                    HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    public ServiceKind kind() {
        return kind;
    }

    public int port() {
        return port;
    }

    public String baseUrl() {
        return "http://" + host.address() + ":" + port;
    }

    public Path logFile() {
        return logFile;
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(15));
    }

    @Override
    public String toString() {
        return kind.module() + "#" + replica + " on " + (host.commandPrefix().isEmpty() ? "port " + port
                : host.address() + ":" + port);
    }
}
