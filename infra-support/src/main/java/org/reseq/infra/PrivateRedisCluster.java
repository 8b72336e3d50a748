package org.reseq.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * A Redis Cluster of one test's own: masters without replicas, each a {@link PrivateRedisServer}
 * run with cluster mode on from the machine's {@code redis-server}, joined by
 * {@code redis-cli --cluster create}, which gives each master an equal share of the 16384 hash
 * slots. Every node listens on 127.0.0.1 and has its cluster bus on a free port of its own
 * ({@code --cluster-port}, Redis 7), so that no port needs to be free at port + 10000. Nothing is
 * kept on disk. {@link #unavailableReason()} says why it cannot run here, so that a test can skip
 * instead of failing.
 *
 * <p>Threads: not thread-safe; one test starts, uses and closes it. Each node is a child process
 * of this JVM that a shutdown hook kills if the JVM exits without {@link #close}.
 */
public final class PrivateRedisCluster implements AutoCloseable {

    private static final String HOST = "127.0.0.1";
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

    private final String cli;
    private final List<PrivateRedisServer> masters = new ArrayList<>();

    private PrivateRedisCluster(String cli) {
        this.cli = cli;
    }

    /** Why no private cluster can run on this machine, or empty when it can. */
    public static Optional<String> unavailableReason() {
        List<String> missing = Stream.of("redis-server", "redis-cli")
                .filter(name -> PrivateServers.executable(name).isEmpty()).toList();
        return missing.isEmpty() ? Optional.empty()
                : Optional.of("no " + String.join(" and no ", missing) + " on the PATH");
    }

    /** Starts {@code count} masters (at least 3, as Redis requires), joins them, and waits until the cluster is ok. */
    public static PrivateRedisCluster launch(int count) {
        String cli = PrivateServers.executable("redis-cli").orElseThrow(() -> new IllegalStateException(
                "Cannot run a private Redis Cluster: " + unavailableReason().orElseThrow()));
        PrivateRedisCluster cluster = new PrivateRedisCluster(cli);
        try {
            for (int i = 0; i < count; i++) {
                cluster.masters.add(PrivateRedisServer.launch(List.of(HOST), List.of("--cluster-enabled", "yes",
                        "--cluster-port", Integer.toString(PrivatePostgres.freePort()),
                        "--cluster-config-file", "nodes.conf")));
            }
            List<String> create = new ArrayList<>(List.of("--cluster", "create"));
            create.addAll(cluster.addresses());
            create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
            cluster.run(create);
            cluster.awaitOk();
            return cluster;
        } catch (IOException e) {
            cluster.close();
            throw new UncheckedIOException("Cannot start a private Redis Cluster", e);
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** {@code host:port} of every master, as {@code spring.data.redis.cluster.nodes} takes them. */
    public List<String> addresses() {
        return masters.stream().map(master -> HOST + ":" + master.port()).toList();
    }

    /** The port of every master. */
    public List<Integer> ports() {
        return masters.stream().map(PrivateRedisServer::port).toList();
    }

    /** The hash slot of {@code key} ({@code CLUSTER KEYSLOT}): the hash tag's, if it has one. */
    public int slot(String key) {
        return Integer.parseInt(command(ports().getFirst(), "CLUSTER", "KEYSLOT", key).strip());
    }

    /** The port of the master that serves {@code slot}, as {@code CLUSTER NODES} says. */
    public int masterPortOf(int slot) {
        for (String line : command(ports().getFirst(), "CLUSTER", "NODES").split("\n")) {
            String[] fields = line.strip().split(" ");
            if (fields.length < 9 || !fields[2].contains("master")) {
                continue;
            }
            for (int i = 8; i < fields.length; i++) {
                if (serves(fields[i], slot)) {
                    // host:port@busport
                    String address = fields[1].substring(0, fields[1].indexOf('@'));
                    return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
                }
            }
        }
        throw new IllegalStateException("No master serves slot " + slot);
    }

    /** The keys matching {@code pattern} that the node at {@code port} itself holds (SCAN on that node alone). */
    public List<String> keysOn(int port, String pattern) {
        return command(port, "--scan", "--pattern", pattern).lines().filter(line -> !line.isBlank()).toList();
    }

    /** One redis-cli command against the node at {@code port}; its output. */
    public String command(int port, String... arguments) {
        List<String> command = new ArrayList<>(List.of("-h", HOST, "-p", Integer.toString(port)));
        command.addAll(List.of(arguments));
        try {
            return run(command);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops every node and removes its directory. */
    @Override
    public void close() {
        masters.forEach(PrivateRedisServer::close);
        masters.clear();
    }

    @Override
    public String toString() {
        return "private Redis Cluster " + addresses();
    }

    /** {@code slot} is in {@code range}, a slot ({@code 42}) or a range ({@code 0-5460}) of a CLUSTER NODES line. */
    private static boolean serves(String range, int slot) {
        if (range.startsWith("[")) {
            return false; // a slot being migrated or imported
        }
        int dash = range.indexOf('-');
        int first = Integer.parseInt(dash < 0 ? range : range.substring(0, dash));
        int last = dash < 0 ? first : Integer.parseInt(range.substring(dash + 1));
        return slot >= first && slot <= last;
    }

    private void awaitOk() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (!ports().stream().allMatch(port -> command(port, "CLUSTER", "INFO").contains("cluster_state:ok"))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(this + " is not ok after " + READY_TIMEOUT + ": "
                        + command(ports().getFirst(), "CLUSTER", "INFO"));
            }
            // The nodes agree on the slots through their bus in the background: nothing to block on.
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
    }

    private String run(List<String> arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(cli));
        command.addAll(arguments);
        // Output to a file, not a pipe: a command that prints more than a pipe holds would block
        // until the timeout, as nothing reads the pipe while this thread waits.
        Path output = Files.createTempFile("reseq-redis-cli", ".out");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            try {
                if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException(String.join(" ", command) + " did not end within "
                            + COMMAND_TIMEOUT + ": " + Files.readString(output));
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while running " + String.join(" ", command), e);
            }
            String printed = Files.readString(output, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed (" + process.exitValue()
                        + "): " + printed);
            }
            return printed;
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
