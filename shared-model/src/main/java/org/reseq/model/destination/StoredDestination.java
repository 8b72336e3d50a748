package org.reseq.model.destination;

/**
 * A destination as PostgreSQL stores it.
 *
 * @param id its id (the advisory lock key)
 * @param name its name
 * @param config its parsed configuration
 * @param configJson its configuration as stored
 * @param paused whether an operator paused its delivery
 */
public record StoredDestination(int id, String name, DestinationConfig config, String configJson, boolean paused) {
}
