package org.reseq.model.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class SecurityPropertiesTests {

    @Test
    void securityIsOffAndTheListsAreEmptyByDefault() {
        SecurityProperties properties = bind(Map.of());

        assertThat(properties.enabled()).isFalse();
        assertThat(properties.destinations().allow()).isEmpty();
        assertThat(properties.destinations().deny()).isEmpty();
    }

    @Test
    void theListsBindFromCommaSeparatedValuesAsEnvironmentVariablesGiveThem() {
        SecurityProperties properties = bind(Map.of(
                "reseq.security.enabled", "true",
                "reseq.security.destinations.allow", "127.0.0.0/8, *.sinks.example",
                "reseq.security.destinations.deny", "10.0.0.0/8"));

        assertThat(properties.enabled()).isTrue();
        assertThat(properties.destinations().allowList().blocks()).hasSize(1);
        assertThat(properties.destinations().allowList().hosts()).hasSize(1);
        assertThat(properties.destinations().denyList().blocks()).hasSize(1);
    }

    @Test
    void anEntryThatIsNeitherABlockNorAHostPatternStopsTheStartNamingIt() {
        assertThatThrownBy(() -> bind(Map.of("reseq.security.destinations.deny", "10.0.0.0/8,10.0.0.0/40")))
                .isInstanceOf(BindException.class).rootCause()
                .hasMessageContaining("reseq.security.destinations.deny[1]").hasMessageContaining("10.0.0.0/40");
    }

    private static SecurityProperties bind(Map<String, String> settings) {
        return new Binder(new MapConfigurationPropertySource(settings))
                .bindOrCreate("reseq.security", Bindable.of(SecurityProperties.class));
    }
}
