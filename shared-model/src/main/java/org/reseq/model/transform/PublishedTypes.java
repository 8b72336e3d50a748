package org.reseq.model.transform;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The transform types the workers published, as read at one moment.
 *
 * @param types by name: what is known of each type
 */
public record PublishedTypes(Map<String, Published> types) {

    public PublishedTypes {
        types = Map.copyOf(types);
    }

    /**
     * One type, over every worker that published it.
     *
     * @param type the type, with the schema of the worker that published it last
     * @param liveWorkers how many workers published it within the live window
     * @param lastSeen when a worker last published it
     */
    public record Published(TransformType type, int liveWorkers, Instant lastSeen) {
    }

    public Optional<Published> find(String name) {
        return Optional.ofNullable(types.get(name));
    }

    /** Whether a live worker publishes the type. */
    public boolean runnable(String name) {
        return find(name).map(published -> published.liveWorkers() > 0).orElse(false);
    }

    /** The types by name, in name order. */
    public Map<String, Published> sorted() {
        return new TreeMap<>(types);
    }
}
