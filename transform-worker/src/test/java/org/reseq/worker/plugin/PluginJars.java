package org.reseq.worker.plugin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.reseq.transform.TransformFactory;

/**
 * Builds a plugin jar for a test: compiles one factory class against the transform API with the
 * JDK's compiler and writes it with its service entry, so that it is loaded from the jar alone,
 * not from the test class path.
 */
final class PluginJars {

    private PluginJars() {
    }

    /**
     * A jar in {@code directory} whose factory {@code plugin.<className>} has {@code type} and
     * {@code schema}, and whose transforms append {@code suffix} to the payload.
     */
    static Path build(Path directory, String className, String type, String schema, String suffix) {
        String source = """
                package plugin;

                import java.nio.charset.StandardCharsets;
                import java.util.Map;
                import org.reseq.transform.Transform;
                import org.reseq.transform.TransformFactory;

                public final class %s implements TransformFactory {
                    public String type() { return "%s"; }
                    public String configSchema() { return "%s"; }
                    public Transform create(Map<String, Object> config) {
                        if (Boolean.TRUE.equals(config.get("refuse"))) {
                            throw new IllegalArgumentException("refuse is set");
                        }
                        String loader = Thread.currentThread().getContextClassLoader().getName();
                        return request -> request.reply((new String(request.payload(), StandardCharsets.UTF_8)
                                + "%s" + config.getOrDefault("extra", "") + "@" + loader)
                                .getBytes(StandardCharsets.UTF_8), "text/plain");
                    }
                }
                """.formatted(className, type, schema.replace("\"", "\\\""), suffix);
        try {
            Path work = Files.createTempDirectory("plugin-src");
            Path file = work.resolve(className + ".java");
            Files.writeString(file, source);
            JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
            String api = Path.of(TransformFactory.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .toString();
            int exit = compiler.run(null, null, null, "-classpath", api, "-d", work.toString(), file.toString());
            if (exit != 0) {
                throw new IllegalStateException("the test plugin does not compile");
            }
            Path jar = directory.resolve(className.toLowerCase() + ".jar");
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
                add(out, "plugin/" + className + ".class", Files.readAllBytes(work.resolve("plugin/" + className
                        + ".class")));
                add(out, "META-INF/services/" + TransformFactory.class.getName(),
                        ("plugin." + className + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void add(JarOutputStream out, String name, byte[] bytes) throws IOException {
        out.putNextEntry(new JarEntry(name));
        out.write(bytes);
        out.closeEntry();
    }
}
