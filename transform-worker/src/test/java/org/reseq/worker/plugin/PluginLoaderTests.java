package org.reseq.worker.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reseq.model.destination.TransformSpec;
import org.reseq.model.transform.TransformType;
import org.reseq.transform.Transform;
import org.reseq.transform.TransformException;
import org.reseq.transform.TransformRequest;

class PluginLoaderTests {

    private static final String SCHEMA = """
            {"type":"object","additionalProperties":false,"properties":{"extra":{"type":"string"},\
            "refuse":{"type":"boolean"}}}""";

    @TempDir
    Path plugins;

    @Test
    void aJarsFactoryIsLoadedPublishedAndRunWithItsOwnClassLoader() throws Exception {
        PluginJars.build(plugins, "Shout", "shout", SCHEMA, "!");

        Plugins loaded = PluginLoader.load(plugins);

        assertThat(loaded.types()).containsExactly(new TransformType("shout", SCHEMA));
        assertThat(loaded.sources()).containsEntry("shout", "shout.jar");
        assertThat(loaded.allTypes()).as("what the worker publishes: built-ins first").extracting(TransformType::name)
                .containsExactly("content-type", "delay", "headers", "http", "jsonata", "shout");
        Transform shout = loaded.create(new TransformSpec.Plugin("shout", Map.of("extra", "?")));
        assertThat(text(shout.apply(request("hi")).payload())).isEqualTo("hi!?@plugin-shout.jar");
    }

    @Test
    void aConfigurationTheSchemaRefusesOrTheFactoryRefusesCannotRun() {
        PluginJars.build(plugins, "Shout", "shout", SCHEMA, "!");
        Plugins loaded = PluginLoader.load(plugins);

        assertThatThrownBy(() -> loaded.create(new TransformSpec.Plugin("shout", Map.of("extra", 7, "colour", "red"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("shout configuration:")
                .hasMessageContaining("extra ")
                .hasMessageContaining("colour ");
        assertThatThrownBy(() -> loaded.create(new TransformSpec.Plugin("shout", Map.of("refuse", true))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("shout configuration: refuse is set");
    }

    @Test
    void aTypeNoPluginProvidesFailsEachAttemptAsRetryable() {
        Transform missing = PluginLoader.load(plugins).create(new TransformSpec.Plugin("xslt", Map.of()));

        assertThatThrownBy(() -> missing.apply(request("x")))
                .isExactlyInstanceOf(TransformException.class)
                .hasMessage("this worker has no plugin for transform type 'xslt'");
    }

    @Test
    void twoJarsWithOneTypeStopTheStartNamingBoth() {
        PluginJars.build(plugins, "ShoutA", "shout", SCHEMA, "!");
        PluginJars.build(plugins, "ShoutB", "shout", SCHEMA, "!!");

        assertThatThrownBy(() -> PluginLoader.load(plugins))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("shouta.jar")
                .hasMessageContaining("shoutb.jar")
                .hasMessageContaining("both provide transform type 'shout'");
    }

    @Test
    void aBuiltInsNameABadNameOrABadSchemaStopTheStart() throws Exception {
        Path builtIn = Files.createDirectories(plugins.resolve("built-in"));
        PluginJars.build(builtIn, "Http", "http", SCHEMA, "");
        assertThatThrownBy(() -> PluginLoader.load(builtIn)).hasMessageContaining("built-in type name 'http'");

        Path badName = Files.createDirectories(plugins.resolve("bad-name"));
        PluginJars.build(badName, "Upper", "Upper Case", SCHEMA, "");
        assertThatThrownBy(() -> PluginLoader.load(badName)).hasMessageContaining("names its type 'Upper Case'");

        Path badSchema = Files.createDirectories(plugins.resolve("bad-schema"));
        PluginJars.build(badSchema, "Odd", "odd", "not a schema", "");
        assertThatThrownBy(() -> PluginLoader.load(badSchema)).hasMessageContaining("odd.jar");
    }

    @Test
    void aPluginDirectoryThatIsNotOneStopsTheStart() {
        assertThatThrownBy(() -> PluginLoader.load(plugins.resolve("missing")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is not a directory");
    }

    @Test
    void withoutADirectoryOnlyTheClassPathCounts() {
        assertThat(PluginLoader.load(null).types()).isEmpty();
    }

    private static TransformRequest request(String payload) {
        return new TransformRequest(payload.getBytes(StandardCharsets.UTF_8), "text/plain", Map.of(), "d", 1,
                UUID.randomUUID());
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
