package org.reseq.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A Redis server of one test's own, run from the machine's {@code redis-server}, which the test
 * may stop and start again, empty, on the same port: the shared server must never be stopped.
 * Nothing is kept on disk ({@code --save "" --appendonly no}), so every start is empty, as a
 * restarted cache node without persistence would be. It listens on the addresses given (127.0.0.1
 * by default, and for example a test host's address as well); protected mode is off because
 * those addresses are chosen explicitly. {@link #unavailableReason()} says why it cannot run
 * here, so that a test can skip instead of failing.
 *
 * <p>Threads: {@link #stop}, {@link #start} and {@link #close} are synchronized. The server is a
 * child process of this JVM; a shutdown hook kills it when the JVM exits without {@link #close}.
 */
public final class PrivateRedisServer implements AutoCloseable {

    private final String binary;
    private final Path directory;
    private final int port;
    private final List<String> bindAddresses;
    private final List<String> arguments;
    private final Thread shutdownHook = new Thread(this::stop, "private-redis-stop");
    private Process process;

    private PrivateRedisServer(String binary, Path directory, int port, List<String> bindAddresses,
                               List<String> arguments) {
        this.binary = binary;
        this.directory = directory;
        this.port = port;
        this.bindAddresses = List.copyOf(bindAddresses);
        this.arguments = List.copyOf(arguments);
    }

    /** Why no private server can run on this machine (no {@code redis-server}), or empty when it can. */
    public static Optional<String> unavailableReason() {
        return binary().isPresent() ? Optional.empty() : Optional.of("no redis-server on the PATH");
    }

    /** Starts a server on a free port, bound to 127.0.0.1 only. */
    public static PrivateRedisServer launch() {
        return launch(List.of("127.0.0.1"));
    }

    /** Starts a server on a free port, bound to {@code bindAddresses}. */
    public static PrivateRedisServer launch(List<String> bindAddresses) {
        return launch(bindAddresses, List.of());
    }

    /**
     * Starts a server on a free port, bound to {@code bindAddresses}, with further command line
     * {@code arguments} (for example {@code --cluster-enabled yes}); files it writes go to its own
     * directory, removed by {@link #close}.
     */
    public static PrivateRedisServer launch(List<String> bindAddresses, List<String> arguments) {
        String binary = binary().orElseThrow(() -> new IllegalStateException("Cannot run a private Redis: "
                + unavailableReason().orElseThrow()));
        PrivateRedisServer redis;
        try {
            redis = new PrivateRedisServer(binary, Files.createTempDirectory("reseq-private-redis"),
                    PrivatePostgres.freePort(), bindAddresses, arguments);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a private Redis", e);
        }
        Runtime.getRuntime().addShutdownHook(redis.shutdownHook);
        try {
            redis.start();
            return redis;
        } catch (RuntimeException e) {
            redis.close();
            throw e;
        }
    }

    /** The address of this server as its first bind address. */
    public RedisServerAddress address() {
        return address(bindAddresses.getFirst());
    }

    /** The address of this server as reached at {@code host} (one of its bind addresses). */
    public RedisServerAddress address(String host) {
        return new RedisServerAddress(host, port, Source.PRIVATE);
    }

    public int port() {
        return port;
    }

    /** The server's own log, to read when a test fails. */
    public Path logFile() {
        return directory.resolve("redis.log");
    }

    /** Starts an empty server on the same port; waits until it answers PING. A running one is left alone. */
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        List<String> command = new ArrayList<>(List.of(binary, "--port", Integer.toString(port), "--bind"));
        command.addAll(bindAddresses);
        command.addAll(List.of("--save", "", "--appendonly", "no", "--protected-mode", "no",
                "--dir", directory.toString(), "--daemonize", "no"));
        command.addAll(arguments);
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + command, e);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!Infrastructure.redisAnswers(bindAddresses.getFirst(), port)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IllegalStateException(this + " did not start; see " + logFile());
            }
            // Polling a child process's port: there is nothing to block on instead.
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
    }

    /** Kills the server (SIGKILL), as a crash would: every connection drops and everything it held is gone. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException(this + " did not end within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while stopping " + this, e);
        }
        process = null;
    }

    /** Stops the server and removes its directory. */
    @Override
    public synchronized void close() {
        stop();
        PrivateServers.forget(shutdownHook, directory);
    }

    @Override
    public String toString() {
        return "private Redis on " + bindAddresses + " port " + port;
    }

    private static Optional<String> binary() {
        return PrivateServers.executable("redis-server");
    }
}
