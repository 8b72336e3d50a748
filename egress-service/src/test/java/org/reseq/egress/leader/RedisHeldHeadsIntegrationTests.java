package org.reseq.egress.leader;

import org.reseq.egress.fake.SharedRedis;

/** The held-heads contract against Redis. */
class RedisHeldHeadsIntegrationTests extends HeldHeadsContract {

    private final RedisHeldHeads heldHeads = new RedisHeldHeads(SharedRedis.strings(), SharedRedis.freshKeys());

    @Override
    HeldHeads heldHeads() {
        return heldHeads;
    }
}
