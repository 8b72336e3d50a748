package org.reseq.egress.fake;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.reseq.egress.leader.Destinations;
import org.reseq.model.destination.DestinationConfigJson;
import org.reseq.model.destination.StoredDestination;

/**
 * The destinations in memory, as the admin API would have stored them (see
 * {@code DestinationsContract}). Thread-safe: the leader's thread and the test's thread both use it.
 */
public final class InMemoryDestinations implements Destinations {

    private final Map<String, StoredDestination> byName = new HashMap<>();
    private int lastId;

    /** Creates the destination, not paused. */
    public synchronized void create(String name, String configJson) {
        byName.put(name, new StoredDestination(++lastId, name, DestinationConfigJson.read(configJson), configJson,
                false));
    }

    /** Changes its configuration. */
    public synchronized void reconfigure(String name, String configJson) {
        StoredDestination stored = byName.get(name);
        byName.put(name, new StoredDestination(stored.id(), name, DestinationConfigJson.read(configJson), configJson,
                stored.paused()));
    }

    /** Pauses or resumes it. */
    public synchronized void paused(String name, boolean paused) {
        StoredDestination stored = byName.get(name);
        byName.put(name, new StoredDestination(stored.id(), name, stored.config(), stored.configJson(), paused));
    }

    public synchronized void delete(String name) {
        byName.remove(name);
    }

    @Override
    public synchronized Optional<StoredDestination> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }
}
