package org.reseq.resequencer.dispatch;

import org.reseq.model.lease.LeaseRole;
import org.reseq.resequencer.fake.InMemoryPipeline;

/** The contract against the fake the leader's unit tests use. */
class InMemoryDeliveriesTests extends DeliveriesContract {

    private final InMemoryPipeline pipeline = new InMemoryPipeline();

    @Override
    Deliveries deliveries() {
        return pipeline;
    }

    @Override
    void create(String destination, String configJson) {
        pipeline.destination(destination, configJson);
    }

    @Override
    void ingest(String destination, int count) {
        pipeline.ingest(destination, count);
    }

    @Override
    void delivered(String destination, long position) {
        pipeline.cursors.set(destination, LeaseRole.EGRESS, position);
    }
}
