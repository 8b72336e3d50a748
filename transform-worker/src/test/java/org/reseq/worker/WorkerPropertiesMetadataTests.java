package org.reseq.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The configuration metadata the build writes for IDEs: every {@code reseq.*} property of this
 * service is listed with the description taken from its properties record's Javadoc, and its
 * default comes from the record alone, never from {@code application.yml}.
 */
class WorkerPropertiesMetadataTests {

    private static final Path METADATA = Path.of("target/classes/META-INF/spring-configuration-metadata.json");

    @Test
    void everyPropertyIsListedWithADescription() throws IOException {
        List<Map<String, Object>> properties = JsonPath.read(METADATA.toFile(), "$.properties[*]");

        assertThat(properties).extracting(property -> property.get("name"))
                .contains("reseq.worker.max-in-flight", "reseq.worker.jsonata.timeout", "reseq.worker.plugin-dir");
        assertThat(properties).allSatisfy(property -> assertThat((String) property.get("description"))
                .as("description of %s", property.get("name")).isNotBlank());
    }

    @Test
    void defaultsAreTheRecordsAlone() throws IOException {
        List<Object> defaults = JsonPath.read(METADATA.toFile(), "$.properties[?(@.name == 'reseq.redis.key-prefix')].defaultValue");

        assertThat(defaults).containsExactly("reseq:");
        assertThat(Files.readString(Path.of("src/main/resources/application.yml"))).doesNotContainPattern("(?m)^reseq:");
    }
}
