package org.reseq.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of one test's own, which the test may stop (as a crash would, or as an
 * operator would) and start again on the same data directory and port. The shared server must
 * never be stopped, and the embedded one cannot be restarted on its data, hence this class.
 *
 * <p>It runs the machine's own {@code initdb}, {@code pg_ctl} and {@code postgres} (the newest
 * under {@code /usr/lib/postgresql/<version>/bin}, or those on the {@code PATH}) on a temporary
 * data directory: trust authentication, a free port, {@code fsync=off} (a test survives process
 * crashes of the server, not of the machine). PostgreSQL refuses to run as root, so when the test
 * runs as root the directory is handed to the {@code postgres} operating-system user and every
 * command runs as that user through {@code runuser}. {@link #unavailableReason()} says why it
 * cannot run here, so that a test can skip instead of failing.
 *
 * <p>Threads: {@link #stop}, {@link #start} and {@link #close} are synchronized; the server runs
 * as a daemon of its own (started by {@code pg_ctl}), not as a child of this JVM, so a shutdown
 * hook stops it when the JVM exits without {@link #close}.
 */
public final class PrivatePostgres implements AutoCloseable {

    private static final String SUPERUSER = "postgres";
    private static final String RUN_AS = "postgres";

    private final Path bin;
    private final Path directory;
    private final Path data;
    private final int port;
    private final List<String> listenAddresses;
    private final Thread shutdownHook = new Thread(this::stopQuietly, "private-postgres-stop");

    private PrivatePostgres(Path bin, Path directory, int port, List<String> listenAddresses) {
        this.bin = bin;
        this.directory = directory;
        this.data = directory.resolve("data");
        this.port = port;
        this.listenAddresses = List.copyOf(listenAddresses);
    }

    /**
     * Why no private server can run on this machine, or empty when it can: the binaries are
     * missing, or the JVM runs as root and there is no {@code postgres} user to run them as.
     */
    public static Optional<String> unavailableReason() {
        if (binaries().isEmpty()) {
            return Optional.of("no PostgreSQL server binaries (initdb, pg_ctl) under /usr/lib/postgresql/*/bin"
                    + " or on the PATH");
        }
        if (runsAsRoot() && !userExists(RUN_AS)) {
            return Optional.of("running as root and there is no '" + RUN_AS + "' user to run PostgreSQL as");
        }
        if (runsAsRoot() && !onPath("runuser")) {
            return Optional.of("running as root and there is no runuser to run PostgreSQL as '" + RUN_AS + "'");
        }
        return Optional.empty();
    }

    /** Creates a new cluster and starts it on a free port, listening on 127.0.0.1 only. */
    public static PrivatePostgres launch() {
        return launch(List.of("127.0.0.1"));
    }

    /**
     * Creates a new cluster and starts it on a free port, listening on {@code listenAddresses}
     * (for example 127.0.0.1 and a test host's address). Clients on the networks of those
     * addresses are trusted ({@code samenet}).
     */
    public static PrivatePostgres launch(List<String> listenAddresses) {
        unavailableReason().ifPresent(reason -> {
            throw new IllegalStateException("Cannot run a private PostgreSQL: " + reason);
        });
        PrivatePostgres postgres;
        try {
            postgres = new PrivatePostgres(binaries().orElseThrow(),
                    Files.createTempDirectory("reseq-private-postgres"), freePort(), listenAddresses);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a private PostgreSQL", e);
        }
        try {
            postgres.initialize();
            Runtime.getRuntime().addShutdownHook(postgres.shutdownHook);
            postgres.start();
            return postgres;
        } catch (IOException | RuntimeException e) {
            postgres.close();
            throw e instanceof IOException io ? new UncheckedIOException("Cannot create " + postgres, io)
                    : (RuntimeException) e;
        }
    }

    /** The address of this server, as the first listen address, for {@link PostgresServer#createFreshDatabase}. */
    public PostgresServer server() {
        return server(listenAddresses.getFirst());
    }

    /** The address of this server as reached at {@code host} (one of its listen addresses). */
    public PostgresServer server(String host) {
        return new PostgresServer(host, port, SUPERUSER, "", Source.PRIVATE);
    }

    public int port() {
        return port;
    }

    /** The server's own log, to read when a test fails. */
    public Path logFile() {
        return directory.resolve("postgres.log");
    }

    /** Starts the server on its data directory and port; waits until it accepts connections. */
    public synchronized void start() {
        run("pg_ctl", "start", "-D", data.toString(), "-w", "-t", "60", "-l", logFile().toString());
    }

    /**
     * Stops the server. {@code immediate} is a crash: every process ends at once, without a
     * checkpoint, and the next start replays the WAL; otherwise a fast shutdown: sessions are
     * ended with an error and a checkpoint is written.
     */
    public synchronized void stop(boolean immediate) {
        run("pg_ctl", "stop", "-D", data.toString(), "-w", "-t", "60", "-m", immediate ? "immediate" : "fast");
    }

    /** Stops the server at once and removes its data directory. */
    @Override
    public synchronized void close() {
        stopQuietly();
        PrivateServers.forget(shutdownHook, directory);
    }

    @Override
    public String toString() {
        return "private PostgreSQL on " + listenAddresses + " port " + port + " (" + data + ")";
    }

    private void initialize() throws IOException {
        if (runsAsRoot()) {
            var owner = directory.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(RUN_AS);
            Files.setOwner(directory, owner);
        }
        run("initdb", "-D", data.toString(), "-A", "trust", "-U", SUPERUSER, "-E", "UTF8", "--no-locale",
                "--no-sync");
        // Sockets in the data directory's parent, not the system's: the machine's own server uses that.
        String settings = """

                # reseq PrivatePostgres
                port = %d
                listen_addresses = '%s'
                unix_socket_directories = '%s'
                max_connections = 300
                fsync = off
                full_page_writes = off
                """.formatted(port, String.join(",", listenAddresses), directory);
        // Appending keeps each file's owner: the JVM writes them as root or as that owner.
        Files.writeString(data.resolve("postgresql.conf"), settings, StandardOpenOption.APPEND);
        Files.writeString(data.resolve("pg_hba.conf"), "\nhost all all samenet trust\n", StandardOpenOption.APPEND);
    }

    private void stopQuietly() {
        try {
            if (Files.exists(data.resolve("postmaster.pid"))) {
                stop(true);
            }
        } catch (RuntimeException e) {
            // nothing more to do: the server was not running or is gone
        }
    }

    /** Runs one of the server's programs, as the owner of the data, from a directory that user may enter. */
    private void run(String program, String... arguments) {
        List<String> command = new ArrayList<>();
        if (runsAsRoot()) {
            command.addAll(List.of("runuser", "-u", RUN_AS, "--"));
        }
        command.add(bin.resolve(program).toString());
        command.addAll(List.of(arguments));
        Path output = directory.resolve(program + ".out");
        try {
            Process process = new ProcessBuilder(command).directory(directory.toFile())
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within 90 s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed with " + process.exitValue()
                        + ": " + Files.readString(output));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + command, e);
        }
    }

    /** The directory holding initdb and pg_ctl: the newest installed version, else the PATH. */
    private static Optional<Path> binaries() {
        Path installed = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(installed)) {
            try (Stream<Path> versions = Files.list(installed)) {
                Optional<Path> newest = versions.map(v -> v.resolve("bin"))
                        .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
                        .max(Comparator.comparingInt(PrivatePostgres::majorVersion));
                if (newest.isPresent()) {
                    return newest;
                }
            } catch (IOException e) {
                // fall through to the PATH
            }
        }
        return path().filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
                .findFirst();
    }

    static boolean onPath(String program) {
        return path().anyMatch(b -> Files.isExecutable(b.resolve(program)));
    }

    private static Stream<Path> path() {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":")).filter(p -> !p.isEmpty()).map(Path::of);
    }

    private static int majorVersion(Path bin) {
        try {
            return Integer.parseInt(bin.getParent().getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static boolean runsAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    static boolean userExists(String user) {
        try {
            Process id = new ProcessBuilder("id", "-u", user).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return id.waitFor(10, TimeUnit.SECONDS) && id.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
