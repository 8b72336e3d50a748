package org.reseq.egress.leader;

import java.util.List;
import java.util.Optional;
import org.reseq.egress.fake.InMemoryRedeliveries;

/** The contract against the fake the leader's unit tests use. */
class InMemoryRedeliveriesTests extends RedeliveriesContract {

    private final InMemoryRedeliveries redeliveries = new InMemoryRedeliveries();

    @Override
    Redeliveries redeliveries() {
        return redeliveries;
    }

    @Override
    void queue(String text) {
        redeliveries.append(destination, text);
    }

    @Override
    Optional<Long> fence() {
        return redeliveries.fence(destination);
    }

    @Override
    void fence(long epoch) {
        redeliveries.fence(destination, epoch);
    }

    @Override
    List<String> waiting() {
        return redeliveries.waiting(destination);
    }
}
