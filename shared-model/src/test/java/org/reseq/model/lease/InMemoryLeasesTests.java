package org.reseq.model.lease;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** The lease contract against the in-memory fake: time passes in an instant. */
class InMemoryLeasesTests extends LeasesContract {

    private final InMemoryLockTable table = new InMemoryLockTable();
    private final AtomicInteger destinations = new AtomicInteger();

    @Override
    Leases newLeases(LeaseRole role, String instance) {
        return new InMemoryLeases(table, role, instance, TIMINGS);
    }

    @Override
    String newDestination() {
        String name = "d" + destinations.incrementAndGet();
        table.create(name);
        return name;
    }

    @Override
    void elapse(Duration duration) {
        table.elapse(duration);
    }
}
