package org.reseq.egress.leader;

import java.time.Instant;
import org.reseq.egress.fake.InMemoryCursors;
import org.reseq.egress.fake.InMemoryDeliveryDeadLetters;
import org.reseq.infra.MutableClock;
import org.reseq.model.lease.LeaseRole;

/** The contract against the fake the leader's unit tests use. */
class InMemoryDeliveryDeadLettersTests extends DeliveryDeadLettersContract {

    private final InMemoryCursors cursors = new InMemoryCursors();
    private final InMemoryDeliveryDeadLetters deadLetters =
            new InMemoryDeliveryDeadLetters(cursors, new MutableClock(Instant.parse("2026-01-01T00:00:00Z")));

    @Override
    DeliveryDeadLetters deadLetters() {
        return deadLetters;
    }

    @Override
    void taken(long epoch) {
        cursors.taken(destination, LeaseRole.EGRESS, epoch);
    }
}
