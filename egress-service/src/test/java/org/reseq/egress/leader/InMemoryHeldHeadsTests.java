package org.reseq.egress.leader;

import org.reseq.egress.fake.InMemoryHeldHeads;

class InMemoryHeldHeadsTests extends HeldHeadsContract {

    private final InMemoryHeldHeads heldHeads = new InMemoryHeldHeads();

    @Override
    HeldHeads heldHeads() {
        return heldHeads;
    }
}
