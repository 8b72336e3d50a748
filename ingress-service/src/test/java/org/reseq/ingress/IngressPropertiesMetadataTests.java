package org.reseq.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The configuration metadata the build writes for IDEs: every {@code reseq.*} property of ingress
 * is listed with the description taken from its properties record's Javadoc, so a property added
 * without its {@code @param} fails here.
 */
class IngressPropertiesMetadataTests {

    private static final Path METADATA = Path.of("target/classes/META-INF/spring-configuration-metadata.json");

    @Test
    void everyIngressPropertyIsListedWithADescription() throws IOException {
        List<Map<String, Object>> properties = JsonPath.read(METADATA.toFile(), "$.properties[*]");

        assertThat(properties).extracting(property -> property.get("name"))
                .contains("reseq.ingest.max-payload-size", "reseq.ingest.idempotency.retention",
                        "reseq.ingest.tcp.listeners", "reseq.retention.interval");
        assertThat(properties).allSatisfy(property -> assertThat((String) property.get("description"))
                .as("description of %s", property.get("name")).isNotBlank());
    }
}
