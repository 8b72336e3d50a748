package org.reseq.worker.plugin;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.reseq.model.destination.TransformSpec;
import org.reseq.model.destination.Violation;
import org.reseq.model.transform.TransformType;
import org.reseq.transform.Transform;
import org.reseq.transform.TransformException;

/**
 * The plugin transform types this worker runs, by type name, and the transforms they make.
 * Immutable once loaded ({@link PluginLoader}); shared by every thread.
 */
public final class Plugins {

    /** No plugins: only the built-ins run. */
    public static final Plugins NONE = new Plugins(Map.of());

    private final Map<String, LoadedFactory> factories;

    Plugins(Map<String, LoadedFactory> factories) {
        this.factories = Map.copyOf(factories);
    }

    /** Every type this worker runs, built-ins first, then the plugins' in name order: what it publishes. */
    public List<TransformType> allTypes() {
        List<TransformType> all = new ArrayList<>();
        TransformSpec.BUILT_IN_TYPES.stream().sorted().map(TransformType::builtIn).forEach(all::add);
        all.addAll(types());
        return all;
    }

    /** The plugin types, for the catalog, in name order. */
    public List<TransformType> types() {
        List<TransformType> types = new ArrayList<>();
        new TreeMap<>(factories).forEach((name, loaded) -> types.add(new TransformType(name, loaded.schemaText())));
        return types;
    }

    /** Where each type came from, for the start-up log. */
    public Map<String, String> sources() {
        Map<String, String> sources = new TreeMap<>();
        factories.forEach((name, loaded) -> sources.put(name, loaded.source()));
        return sources;
    }

    /**
     * The transform of a plugin step.
     *
     * <p>A type this worker has no plugin for gives a transform whose every attempt fails, and
     * may be retried: another worker may have the plugin, or this one may get it at its next
     * start. The destination's status says when no live worker runs the type.
     *
     * @throws IllegalArgumentException when the configuration breaks the type's schema or the
     *     factory refuses it: no attempt could succeed
     */
    public Transform create(TransformSpec.Plugin step) {
        LoadedFactory loaded = factories.get(step.type());
        if (loaded == null) {
            String missing = "this worker has no plugin for transform type '" + step.type() + "'";
            return request -> {
                throw new TransformException(missing);
            };
        }
        List<Violation> violations = loaded.schema().check("", step.config());
        if (!violations.isEmpty()) {
            throw new IllegalArgumentException(step.type() + " configuration: " + String.join("; ",
                    violations.stream().map(violation -> violation.field() + " " + violation.message()).toList()));
        }
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loaded.loader());
        try {
            return new PluginTransform(step.type(), loaded.factory().create(step.config()), loaded.loader());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(step.type() + " configuration: " + e.getMessage(), e);
        } catch (RuntimeException | LinkageError e) {
            throw new IllegalArgumentException(step.type() + " plugin failed to create its transform: " + e, e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
