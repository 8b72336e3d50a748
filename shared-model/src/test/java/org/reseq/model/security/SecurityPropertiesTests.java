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

    @Test
    void apiKeysBindWithRolesAndChannelsAndNeverPrintTheKey() {
        SecurityProperties properties = bind(Map.of(
                "reseq.security.api-keys.ops.key", "ops-secret",
                "reseq.security.api-keys.ops.roles", "ADMIN,READ",
                "reseq.security.api-keys.sender.key-sha256",
                "A4AE87B73FA5645E6AEE415A6F72BE4DCBD99D057A7B40CB1B867C181D179260",
                "reseq.security.api-keys.sender.roles[0]", "INGEST",
                "reseq.security.api-keys.sender.channels", "sec-*,orders"));

        assertThat(properties.apiKeys()).containsOnlyKeys("ops", "sender");
        assertThat(properties.apiKeys().get("ops").roles()).containsExactlyInAnyOrder(Role.ADMIN, Role.READ);
        assertThat(properties.apiKeys().get("sender").channels()).containsExactly("sec-*", "orders");
        assertThat(properties.apiKeys().get("sender").digest()).isEqualTo(ApiKeyDigest.of("hashed-key"));
        assertThat(properties.toString()).doesNotContain("ops-secret").doesNotContain("A4AE87B7");
        assertThat(properties.jwt().rolesClaim()).isEqualTo("roles");
    }

    @Test
    void aKeyWithoutExactlyOneSecretOrWithoutRolesStopsTheStartNamingIt() {
        assertThatThrownBy(() -> bind(Map.of("reseq.security.api-keys.both.key", "k",
                "reseq.security.api-keys.both.key-sha256", "a4ae87b73fa5645e6aee415a6f72be4dcbd99d057a7b40cb1b867c181d179260",
                "reseq.security.api-keys.both.roles", "READ")))
                .rootCause().hasMessage("reseq.security.api-keys.both: set exactly one of key and key-sha256");
        assertThatThrownBy(() -> bind(Map.of("reseq.security.api-keys.short.key-sha256", "abc",
                "reseq.security.api-keys.short.roles", "READ")))
                .rootCause().hasMessageContaining("reseq.security.api-keys.short.key-sha256");
        assertThatThrownBy(() -> bind(Map.of("reseq.security.api-keys.idle.key", "k")))
                .rootCause().hasMessageContaining("reseq.security.api-keys.idle.roles");
        assertThatThrownBy(() -> bind(Map.of("reseq.security.api-keys.reader.key", "k",
                "reseq.security.api-keys.reader.roles", "READ", "reseq.security.api-keys.reader.channels", "a-*")))
                .rootCause().hasMessageContaining("only a key with the role INGEST");
        assertThatThrownBy(() -> bind(Map.of("reseq.security.api-keys.bad.key", "k",
                "reseq.security.api-keys.bad.roles", "INGEST", "reseq.security.api-keys.bad.channels", "a*b")))
                .rootCause().hasMessageContaining("'a*b' is neither a channel name nor a prefix");
        assertThatThrownBy(() -> bind(Map.of("reseq.security.api-keys.odd.key", "k",
                "reseq.security.api-keys.odd.roles", "SUPERUSER")))
                .isInstanceOf(BindException.class);
    }

    private static SecurityProperties bind(Map<String, String> settings) {
        return new Binder(new MapConfigurationPropertySource(settings))
                .bindOrCreate("reseq.security", Bindable.of(SecurityProperties.class));
    }
}
