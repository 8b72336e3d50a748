package org.reseq.model.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The configuration metadata the build writes for IDEs and for {@code /actuator/configprops}
 * readers: every {@code reseq.security.*} property is listed with the description taken from
 * {@link SecurityProperties}' Javadoc, so a property added without its {@code @param} fails here.
 */
class SecurityPropertiesMetadataTests {

    private static final Path METADATA = Path.of("target/classes/META-INF/spring-configuration-metadata.json");

    @Test
    void everySecurityPropertyIsListedWithADescription() throws IOException {
        List<Map<String, Object>> properties = JsonPath.read(METADATA.toFile(), "$.properties[*]");

        assertThat(properties).extracting(property -> property.get("name"))
                .contains("reseq.security.enabled", "reseq.security.api-keys", "reseq.security.destinations.allow");
        assertThat(properties).allSatisfy(property -> assertThat((String) property.get("description"))
                .as("description of %s", property.get("name")).isNotBlank());
    }
}
