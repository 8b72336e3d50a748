package org.reseq.egress.leader;

import java.sql.SQLException;
import java.util.Optional;
import org.reseq.model.destination.StoredDestination;

/**
 * Where a leader reads its destination's configuration and pause flag, as the admin API last
 * stored them; in production {@link org.reseq.model.destination.DestinationRepository#find}.
 * Implementations must be thread-safe.
 */
@FunctionalInterface
public interface Destinations {

    /**
     * The destination called {@code name}, empty once it was deleted.
     *
     * @throws SQLException when the store cannot be reached
     */
    Optional<StoredDestination> find(String name) throws SQLException;
}
