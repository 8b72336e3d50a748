package org.reseq.ingress.transforms;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.reseq.ingress.web.ApiException;
import org.reseq.model.destination.DestinationConfig;
import org.reseq.model.destination.TransformSpec;
import org.reseq.model.destination.Violation;
import org.reseq.model.transform.ConfigSchema;
import org.reseq.model.transform.PublishedTypes;
import org.reseq.model.transform.TransformCatalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * What ingress knows of the transform types workers run: checks a configuration's plugin steps
 * against the types and schemas the workers published, and tells which of a destination's
 * types no live worker runs. Reads the {@link TransformCatalog} at most once a second, so a page
 * of destinations costs one read.
 *
 * <p>Thread-safe: the last read is one immutable snapshot, replaced whole.
 */
@Component
public class TransformTypes {

    private static final Logger log = LoggerFactory.getLogger(TransformTypes.class);
    private static final long FRESH_FOR_MS = 1_000;

    private final TransformCatalog catalog;
    private final Clock clock;
    private volatile Snapshot last;

    public TransformTypes(TransformCatalog catalog, Clock clock) {
        this.catalog = catalog;
        this.clock = clock;
    }

    private record Snapshot(PublishedTypes types, long readAt) {
    }

    /** What the workers published, read at most a second ago. */
    public PublishedTypes published() {
        Snapshot snapshot = last;
        long now = clock.millis();
        if (snapshot == null || now - snapshot.readAt() > FRESH_FOR_MS || now < snapshot.readAt()) {
            snapshot = new Snapshot(catalog.read(), now);
            last = snapshot;
        }
        return snapshot.types();
    }

    /**
     * The problems of a configuration's plugin steps: a type no worker published, or a
     * configuration its published schema refuses, each naming its field. Built-in steps check
     * themselves ({@link DestinationConfig#violations()}).
     *
     * @throws ApiException 503 when there are plugin steps and the catalog cannot be read
     */
    public List<Violation> refused(DestinationConfig config) {
        List<Violation> violations = new ArrayList<>();
        List<TransformSpec> steps = config.transforms();
        if (steps.stream().noneMatch(TransformSpec.Plugin.class::isInstance)) {
            return violations;
        }
        PublishedTypes types = publishedOrUnavailable();
        for (int i = 0; i < steps.size(); i++) {
            if (!(steps.get(i) instanceof TransformSpec.Plugin plugin)) {
                continue;
            }
            String path = "transforms[" + i + "]";
            Optional<PublishedTypes.Published> published = types.find(plugin.type())
                    .filter(found -> !found.type().isBuiltIn());
            if (published.isEmpty()) {
                violations.add(new Violation(path + ".type", "is not a known transform type (built-in: "
                        + String.join(", ", TransformSpec.BUILT_IN_TYPES.stream().sorted().toList())
                        + "; published by workers: " + pluginNames(types) + ")"));
                continue;
            }
            try {
                violations.addAll(ConfigSchema.of(published.get().type().configSchema()).check(path, plugin.config()));
            } catch (IllegalArgumentException e) {
                violations.add(new Violation(path + ".type", "cannot be checked: the schema its workers published is"
                        + " not usable (" + e.getMessage() + ")"));
            }
        }
        return violations;
    }

    /**
     * The types of a configuration that no live worker runs, in chain order; empty when every
     * one has a worker. Null when the catalog cannot be read: unknown is not the same as none.
     */
    public List<String> withoutLiveWorker(DestinationConfig config) {
        if (config.transforms().isEmpty()) {
            return List.of();
        }
        PublishedTypes types;
        try {
            types = published();
        } catch (RuntimeException e) {
            log.debug("The transform catalog cannot be read", e);
            return null;
        }
        Set<String> missing = new LinkedHashSet<>();
        for (TransformSpec step : config.transforms()) {
            if (!types.runnable(step.type())) {
                missing.add(step.type());
            }
        }
        return List.copyOf(missing);
    }

    private PublishedTypes publishedOrUnavailable() {
        try {
            return published();
        } catch (RuntimeException e) {
            throw ApiException.storeUnavailable("The transform types the workers run cannot be read from Redis to"
                    + " check this configuration's plugin steps; try again", e);
        }
    }

    private static String pluginNames(PublishedTypes types) {
        String names = types.sorted().values().stream()
                .filter(published -> !published.type().isBuiltIn())
                .map(published -> published.type().name())
                .collect(Collectors.joining(", "));
        return names.isEmpty() ? "none" : names;
    }
}
