package org.reseq.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command-line tool (kubectl, docker-compose, podman) for the deployment tests, with a
 * time limit, and answers whether a tool is there at all, so that a test can skip, saying why,
 * where it is not.
 */
final class ExternalCommand {

    /** What a command did: its exit code (-1 when it ran out of time) and its output, both streams. */
    record Result(int exitCode, String output) {

        boolean succeeded() {
            return exitCode == 0;
        }
    }

    private ExternalCommand() {
    }

    /** The repository root: {@code reseq.home}, else the parent of the deploy module. */
    static Path home() {
        return Path.of(System.getProperty("reseq.home", "..")).toAbsolutePath().normalize();
    }

    /** Whether {@code command} runs and exits with 0 within 30 s (a version query, say). */
    static boolean works(String... command) {
        try {
            return run(Duration.ofSeconds(30), Map.of(), command).succeeded();
        } catch (IllegalStateException e) {
            return false;
        }
    }

    static Result run(Duration timeout, String... command) {
        return run(timeout, Map.of(), command);
    }

    /**
     * Runs {@code command} in the repository root with {@code environment} added.
     *
     * @throws IllegalStateException when it cannot be started at all (not installed)
     */
    static Result run(Duration timeout, Map<String, String> environment, String... command) {
        Path output = null;
        Process process = null;
        try {
            output = Files.createTempFile("reseq-command", ".out");
            ProcessBuilder builder = new ProcessBuilder(List.of(command))
                    .directory(home().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile());
            builder.environment().putAll(environment);
            process = builder.start();
            boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!exited) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            return new Result(exited ? process.exitValue() : -1, text);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            if (process != null) {
                process.destroyForcibly();
            }
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + String.join(" ", command), e);
        } finally {
            if (output != null) {
                try {
                    Files.deleteIfExists(output);
                } catch (IOException e) {
                    // a temporary file left behind
                }
            }
        }
    }
}
