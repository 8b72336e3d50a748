package org.reseq.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/** What the servers a test owns do alike when they are closed. */
final class PrivateServers {

    private PrivateServers() {
    }

    /** Drops the shutdown hook that would have stopped the server, and removes its directory. */
    static void forget(Thread shutdownHook, Path directory) {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException exiting) {
            // the JVM is already shutting down: the hook runs anyway
        }
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a left-over directory in the temp folder is harmless
        }
    }

    /** The path of the executable {@code name} on the {@code PATH}, if there is one. */
    static Optional<String> executable(String name) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":")).filter(p -> !p.isEmpty())
                .map(p -> Path.of(p, name)).filter(Files::isExecutable).map(Path::toString).findFirst();
    }
}
