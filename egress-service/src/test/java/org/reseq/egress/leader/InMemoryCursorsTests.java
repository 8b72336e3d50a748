package org.reseq.egress.leader;

import org.reseq.egress.fake.InMemoryCursors;
import org.reseq.model.lease.Cursors;
import org.reseq.model.lease.LeaseRole;

/** The contract against the fake the leader's unit tests use. */
class InMemoryCursorsTests extends CursorsContract {

    private final InMemoryCursors cursors = new InMemoryCursors();

    @Override
    Cursors cursors() {
        return cursors;
    }

    @Override
    void taken(LeaseRole role, long epoch) {
        cursors.taken(destination, role, epoch);
    }

    @Override
    void moved(LeaseRole role, long position) {
        cursors.set(destination, role, position);
    }
}
