package org.reseq.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A test host: a network namespace joined to this host by a veth pair on a small private subnet
 * of our own, so that a process started in it ({@link #commandPrefix()}) reaches this host only
 * over a link the test can cut.
 *
 * <p>The link is cut from inside the namespace only (its end of the pair goes down): this host
 * keeps its route to the subnet on its own end, so packets for the cut host die here. Bringing
 * this host's end down would remove that route, and packets for the subnet would leave through
 * the default route toward a real network; {@link #requireRoutedViaTheLink()} checks, before
 * and after every change, that the test host's address routes via this host's end of the link.
 * {@link #close()} removes the namespace (and with it the pair); namespaces left by a test JVM
 * that died are removed when the next one is created.
 *
 * <p>Threads: not thread-safe; one test drives it.
 */
final class TestHost implements AutoCloseable {

    private static final String PREFIX = "reseq-cut-";

    private final String namespace;
    private final String hostEnd;
    private final String innerEnd;
    private final String hostAddress;
    private final String testHostAddress;

    private TestHost(long id, String hostAddress, String testHostAddress) {
        this.namespace = PREFIX + id;
        this.hostEnd = "rsq" + id % 10_000_000 + "h";
        this.innerEnd = "rsq" + id % 10_000_000 + "n";
        this.hostAddress = hostAddress;
        this.testHostAddress = testHostAddress;
    }

    /** Why no test host can be made here (not root, no {@code ip}), or empty when it can. */
    static Optional<String> unavailableReason() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return Optional.of("network namespaces need root; this test runs as " + System.getProperty("user.name"));
        }
        try {
            Result version = run(List.of("ip", "-V"));
            return version.exitCode() == 0 ? Optional.empty() : Optional.of("'ip -V' failed: " + version.output());
        } catch (UncheckedIOException e) {
            return Optional.of("no 'ip' command (iproute2): " + e.getCause().getMessage());
        }
    }

    /**
     * Makes a namespace linked to this host: this host gets {@code hostAddress}, the test host
     * {@code testHostAddress}, both in a /30. Refuses when the subnet is already in use here.
     *
     * @throws IllegalStateException when a command fails (for example when namespaces are not permitted)
     */
    static TestHost create(String hostAddress, String testHostAddress) {
        removeLeftOvers();
        String inUse = run(List.of("ip", "-o", "-4", "addr", "show")).output();
        if (inUse.contains(" " + hostAddress + "/") || inUse.contains(" " + testHostAddress + "/")) {
            throw new IllegalStateException(hostAddress + " or " + testHostAddress + " is already in use here: "
                    + inUse);
        }
        TestHost host = new TestHost(ProcessHandle.current().pid(), hostAddress, testHostAddress);
        try {
            host.must("ip", "netns", "add", host.namespace);
            host.must("ip", "link", "add", host.hostEnd, "type", "veth", "peer", "name", host.innerEnd,
                    "netns", host.namespace);
            host.must("ip", "addr", "add", hostAddress + "/30", "dev", host.hostEnd);
            host.must("ip", "link", "set", host.hostEnd, "up");
            host.inside("ip", "addr", "add", testHostAddress + "/30", "dev", host.innerEnd);
            host.inside("ip", "link", "set", host.innerEnd, "up");
            host.inside("ip", "link", "set", "lo", "up");
            host.requireRoutedViaTheLink();
            return host;
        } catch (RuntimeException e) {
            host.close();
            throw e;
        }
    }

    /** What to put before a command to run it on the test host. */
    List<String> commandPrefix() {
        return List.of("ip", "netns", "exec", namespace);
    }

    String namespace() {
        return namespace;
    }

    /**
     * Cuts the link from inside: the test host's end goes down; this host's end and route stay.
     *
     * @return {@link System#nanoTime()} when the link was down: right after the command that took it down returned
     */
    long cut() {
        requireRoutedViaTheLink();
        inside("ip", "link", "set", innerEnd, "down");
        long down = System.nanoTime();
        requireRoutedViaTheLink();
        return down;
    }

    /** Brings the test host's end of the link up again. */
    void restore() {
        inside("ip", "link", "set", innerEnd, "up");
        requireRoutedViaTheLink();
    }

    /**
     * Fails unless a packet for the test host would leave through this host's end of the link
     * ({@code ip route get}), never through the default route.
     */
    void requireRoutedViaTheLink() {
        String route = run(List.of("ip", "route", "get", testHostAddress)).output();
        if (!route.contains(" dev " + hostEnd + " ")) {
            throw new IllegalStateException("Packets for the test host " + testHostAddress + " would not go via "
                    + hostEnd + ": " + route.strip());
        }
    }

    /** The route a packet for the test host takes, as {@code ip route get} prints it. */
    String route() {
        return run(List.of("ip", "route", "get", testHostAddress)).output().lines().findFirst().orElse("").strip();
    }

    /** Removes the namespace and the pair; the processes in it must have ended. */
    @Override
    public void close() {
        run(List.of("ip", "netns", "del", namespace));
        run(List.of("ip", "link", "del", hostEnd)); // gone with the namespace unless a process still holds it
    }

    @Override
    public String toString() {
        return "test host " + testHostAddress + " (namespace " + namespace + ", link " + hostEnd + " " + hostAddress
                + " <-> " + innerEnd + ")";
    }

    /** Removes the namespaces of test JVMs that are gone. */
    private static void removeLeftOvers() {
        for (String line : run(List.of("ip", "netns", "list")).output().lines().toList()) {
            String name = line.split(" ")[0];
            if (name.matches(PREFIX + "[0-9]+")) {
                long pid = Long.parseLong(name.substring(PREFIX.length()));
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    continue;
                }
                run(List.of("ip", "netns", "del", name));
                run(List.of("ip", "link", "del", "rsq" + pid % 10_000_000 + "h"));
            }
        }
    }

    private void inside(String... command) {
        List<String> full = new ArrayList<>(commandPrefix());
        full.addAll(List.of(command));
        must(full.toArray(String[]::new));
    }

    private void must(String... command) {
        Result result = run(List.of(command));
        if (result.exitCode() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed with " + result.exitCode() + ": "
                    + result.output().strip());
        }
    }

    private static Result run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within 30 s");
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + command, e);
        }
    }

    private record Result(int exitCode, String output) {
    }
}
