package org.reseq.worker.plugin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.reseq.model.destination.TransformSpec;
import org.reseq.model.transform.ConfigSchema;
import org.reseq.transform.TransformFactory;

/**
 * Finds the {@link TransformFactory} implementations on the worker's own class path and in each
 * jar of a plugin directory, and checks them before the worker takes any work: a type name that
 * is not one, is a built-in's or is taken twice, a schema that is not a JSON Schema, or a jar
 * that cannot be loaded stops the start with a message that names the jar.
 *
 * <p>Each jar has a class loader of its own, so two plugins' dependencies cannot clash; the
 * worker's class loader is the parent, from which every plugin shares the transform API.
 */
public final class PluginLoader {

    private static final String CLASSPATH = "classpath";

    private PluginLoader() {
    }

    /**
     * The plugins on the class path and in {@code directory}'s jars.
     *
     * @param directory the plugin directory, or {@code null} for none
     * @throws IllegalStateException when a plugin cannot be used; the message says which and why
     */
    public static Plugins load(Path directory) {
        ClassLoader parent = TransformFactory.class.getClassLoader();
        Map<String, LoadedFactory> factories = new HashMap<>();
        addAll(ServiceLoader.load(TransformFactory.class, parent), parent, CLASSPATH, factories);
        for (Path jar : jars(directory)) {
            URLClassLoader loader = new URLClassLoader("plugin-" + jar.getFileName(), new URL[] {url(jar)}, parent);
            addAll(ServiceLoader.load(TransformFactory.class, loader), loader, jar.getFileName().toString(),
                    factories);
        }
        return new Plugins(factories);
    }

    private static void addAll(ServiceLoader<TransformFactory> found, ClassLoader loader, String source,
            Map<String, LoadedFactory> factories) {
        try {
            for (ServiceLoader.Provider<TransformFactory> provider : found.stream().toList()) {
                // A jar's loader also sees the class path's factories; those were added as the class path's.
                if (provider.type().getClassLoader() != loader) {
                    continue;
                }
                add(provider.get(), loader, source, factories);
            }
        } catch (ServiceConfigurationError | LinkageError e) {
            throw new IllegalStateException("Transform plugin " + source + " cannot be loaded: " + e.getMessage(), e);
        }
    }

    private static void add(TransformFactory factory, ClassLoader loader, String source,
            Map<String, LoadedFactory> factories) {
        String type = factory.type();
        String named = "Transform plugin " + source + " (" + factory.getClass().getName() + ")";
        if (type == null || !TransformSpec.Plugin.TYPE_NAME.matcher(type).matches()) {
            throw new IllegalStateException(named + " names its type '" + type + "': a type name is lower-case"
                    + " letters, digits, '-' and '.', starting with a letter, at most 64 characters");
        }
        if (TransformSpec.BUILT_IN_TYPES.contains(type)) {
            throw new IllegalStateException(named + " takes the built-in type name '" + type + "'");
        }
        LoadedFactory other = factories.get(type);
        if (other != null) {
            throw new IllegalStateException(named + " and " + other.source() + " both provide transform type '"
                    + type + "'");
        }
        String schemaText = factory.configSchema();
        ConfigSchema schema;
        try {
            schema = ConfigSchema.of(schemaText);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(named + ": " + e.getMessage(), e);
        }
        factories.put(type, new LoadedFactory(factory, schemaText, schema, source, loader));
    }

    private static List<Path> jars(Path directory) {
        if (directory == null) {
            return List.of();
        }
        if (!Files.isDirectory(directory)) {
            throw new IllegalStateException("reseq.worker.plugin-dir " + directory + " is not a directory");
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".jar") && Files.isRegularFile(file))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("reseq.worker.plugin-dir " + directory + " cannot be listed", e);
        }
    }

    private static URL url(Path jar) {
        try {
            return jar.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalStateException("Transform plugin " + jar + " has no URL", e);
        }
    }
}
