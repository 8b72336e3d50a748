package org.reseq.egress.leader;

import org.reseq.egress.fake.InMemoryDestinations;

/** The contract against the fake the leader's unit tests use. */
class InMemoryDestinationsTests extends DestinationsContract {

    private final InMemoryDestinations destinations = new InMemoryDestinations();

    @Override
    Destinations destinations() {
        return destinations;
    }

    @Override
    void create(String name, String configJson) {
        destinations.create(name, configJson);
    }

    @Override
    void paused(String name, boolean paused) {
        destinations.paused(name, paused);
    }

    @Override
    void delete(String name) {
        destinations.delete(name);
    }
}
