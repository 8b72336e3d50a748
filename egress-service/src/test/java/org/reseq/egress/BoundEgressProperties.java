package org.reseq.egress;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * {@link EgressProperties} bound the way the service binds them, so tests get the same defaults
 * (the records' {@code @DefaultValue}s) and override only what they are about.
 */
public final class BoundEgressProperties {

    private BoundEgressProperties() {
    }

    /**
     * @param settings property names and values in turn, for example
     *     {@code "reseq.egress.retry.max-attempts", "3"}
     */
    public static EgressProperties of(String... settings) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("reseq.instance-id", "egress-under-test");
        for (int i = 0; i + 1 < settings.length; i += 2) {
            values.put(settings[i], settings[i + 1]);
        }
        return new Binder(new MapConfigurationPropertySource(values))
                .bindOrCreate("reseq", Bindable.of(EgressProperties.class));
    }
}
