package org.reseq.deploy;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An npm package in the repository (such as {@code clients/node}) whose scripts a test runs as
 * child processes, their output copied to this process's standard output as it comes.
 */
final class NpmProject {

    /** What a finished command did. */
    record Outcome(int exitCode, String output) {
    }

    private final Path directory;
    private final Path npm;

    private NpmProject(Path directory, Path npm) {
        this.directory = directory;
        this.npm = npm;
    }

    /**
     * The package in {@code directory}; fails with a message that says what to install when npm
     * is not on the {@code PATH}.
     */
    static NpmProject in(Path directory) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String entry : path.split(File.pathSeparator)) {
            Path candidate = Path.of(entry.isEmpty() ? "." : entry, "npm");
            if (Files.isExecutable(candidate)) {
                return new NpmProject(directory, candidate);
            }
        }
        throw new IllegalStateException("npm is not on the PATH (" + path + "): the Node.js client's tests in "
                + directory + " need Node.js 20 or newer and npm");
    }

    /**
     * Runs {@code npm ci} unless {@code node_modules} matches {@code package-lock.json}: npm
     * writes {@code node_modules/.package-lock.json} on every install, so one older than the lock
     * file means the lock file changed since.
     */
    void installUnlessCurrent(Duration timeout) {
        Path lock = directory.resolve("package-lock.json");
        Path installed = directory.resolve("node_modules/.package-lock.json");
        try {
            if (Files.exists(installed)
                    && Files.getLastModifiedTime(installed).compareTo(Files.getLastModifiedTime(lock)) >= 0) {
                return;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        requireSuccess(run(timeout, Map.of(), "ci", "--no-audit", "--no-fund"), "npm ci");
    }

    /** Runs {@code npm <arguments>} with {@code environment} added to this process's, up to {@code timeout}. */
    Outcome run(Duration timeout, Map<String, String> environment, String... arguments) {
        List<String> command = new ArrayList<>(List.of(npm.toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
        builder.environment().putAll(environment);
        String label = "[npm " + String.join(" ", arguments) + "] ";
        StringBuilder output = new StringBuilder();
        try {
            Process process = builder.start();
            // Read on a thread of its own: a child that hangs must not keep this one from its timeout.
            Thread reader = Thread.ofVirtual().start(() -> copy(process, label, output));
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new IllegalStateException(label + "did not finish within " + timeout + "; output:\n" + output);
            }
            reader.join(Duration.ofSeconds(10));
            synchronized (output) {
                return new Outcome(process.exitValue(), output.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(label + "interrupted", e);
        }
    }

    static void requireSuccess(Outcome outcome, String what) {
        if (outcome.exitCode() != 0) {
            throw new IllegalStateException(what + " failed with exit code " + outcome.exitCode() + "; output:\n"
                    + outcome.output());
        }
    }

    private static void copy(Process process, String label, StringBuilder output) {
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                System.out.println(label + line);
                synchronized (output) {
                    output.append(line).append('\n');
                }
            }
        } catch (IOException e) {
            System.out.println(label + "output lost: " + e);
        }
    }
}
