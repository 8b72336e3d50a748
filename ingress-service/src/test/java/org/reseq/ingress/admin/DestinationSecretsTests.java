package org.reseq.ingress.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.reseq.model.destination.DestinationConfig;
import org.reseq.model.destination.DestinationType;
import org.reseq.model.destination.TransformSpec;
import org.reseq.model.destination.Violation;

class DestinationSecretsTests {

    private static final String URL = "https://user:pass@receiver.example/in?token=abc";
    private static final String FIRST_TRANSFORM = "https://t.example/one?key=k1";
    private static final String SECOND_TRANSFORM = "https://t.example/two?key=k2";

    private final DestinationConfig stored = config(URL, List.of(FIRST_TRANSFORM, SECOND_TRANSFORM),
            headers("Authorization", "Bearer s3cret", "X-Tenant", "acme"));
    private final List<Violation> violations = new ArrayList<>();

    @Test
    void readsMaskEveryUrlAndEveryHeaderValueAndKeepTheNames() {
        DestinationConfig masked = DestinationSecrets.masked(stored);

        assertThat(masked.url()).isEqualTo("https://***@receiver.example/in?token=***");
        assertThat(masked.transforms()).extracting(spec -> ((TransformSpec.Http) spec).url())
                .containsExactly("https://t.example/one?key=***", "https://t.example/two?key=***");
        assertThat(masked.headers()).containsExactly(Map.entry("Authorization", "******"),
                Map.entry("X-Tenant", "******"));
    }

    @Test
    void whatWasReadPutBackUnchangedIsTheStoredConfiguration() {
        DestinationConfig restored = DestinationSecrets.restored(DestinationSecrets.masked(stored), stored, violations);

        assertThat(violations).isEmpty();
        assertThat(restored).isEqualTo(stored);
    }

    @Test
    void reorderedTransformsKeepTheirOwnUrls() {
        DestinationConfig read = DestinationSecrets.masked(stored);
        DestinationConfig reordered = config(read.url(), List.of("https://t.example/two?key=***",
                "https://t.example/one?key=***"), read.headers());

        DestinationConfig restored = DestinationSecrets.restored(reordered, stored, violations);

        assertThat(violations).isEmpty();
        assertThat(restored.transforms()).extracting(spec -> ((TransformSpec.Http) spec).url())
                .containsExactly(SECOND_TRANSFORM, FIRST_TRANSFORM);
    }

    @Test
    void newValuesReplaceTheStoredOnesAndAHeaderMatchesRegardlessOfCase() {
        DestinationConfig changed = config("https://receiver.example/v2", List.of(),
                headers("authorization", "******", "X-Tenant", "other"));

        DestinationConfig restored = DestinationSecrets.restored(changed, stored, violations);

        assertThat(violations).isEmpty();
        assertThat(restored.url()).isEqualTo("https://receiver.example/v2");
        assertThat(restored.headers()).containsExactly(Map.entry("authorization", "Bearer s3cret"),
                Map.entry("X-Tenant", "other"));
    }

    @Test
    void aMaskThatStandsForNothingStoredIsAViolation() {
        DestinationConfig masks = config("https://***@elsewhere.example/in?token=***",
                List.of("https://t.example/three?key=***"), headers("X-Api-Key", "******"));

        DestinationSecrets.restored(masks, stored, violations);

        assertThat(violations).extracting(Violation::field)
                .containsExactly("url", "transforms[0].url", "headers.X-Api-Key");
    }

    @Test
    void withNothingStoredEveryMaskIsAViolation() {
        DestinationSecrets.restored(DestinationSecrets.masked(stored), null, violations);

        assertThat(violations).extracting(Violation::field).containsExactly("url", "transforms[0].url",
                "transforms[1].url", "headers.Authorization", "headers.X-Tenant");
    }

    @Test
    void aTcpDestinationHasNothingToMask() {
        DestinationConfig tcp = new DestinationConfig(DestinationType.TCP, null, "receiver.example", 7000, null, null,
                List.of(), null, null, null, null, null, null, null, null);

        assertThat(DestinationSecrets.masked(tcp)).isEqualTo(tcp);
        assertThat(DestinationSecrets.restored(tcp, tcp, violations)).isEqualTo(tcp);
        assertThat(violations).isEmpty();
    }

    private static DestinationConfig config(String url, List<String> transformUrls, Map<String, String> headers) {
        List<TransformSpec> transforms = transformUrls.stream()
                .<TransformSpec>map(transformUrl -> new TransformSpec.Http(transformUrl, null)).toList();
        return new DestinationConfig(DestinationType.HTTP, url, null, null, null, null, transforms, null, null, null,
                null, null, null, null, headers);
    }

    private static Map<String, String> headers(String... namesAndValues) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            headers.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return headers;
    }
}
