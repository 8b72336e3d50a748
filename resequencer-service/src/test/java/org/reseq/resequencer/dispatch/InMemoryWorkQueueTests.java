package org.reseq.resequencer.dispatch;

import java.util.List;
import org.reseq.model.redis.WorkItem;
import org.reseq.resequencer.fake.InMemoryPipeline;

/** The contract against the fake the leader's unit tests use. */
class InMemoryWorkQueueTests extends WorkQueueContract {

    private final InMemoryPipeline pipeline = new InMemoryPipeline();

    @Override
    WorkQueue queue() {
        return pipeline;
    }

    @Override
    List<WorkItem> added() {
        return pipeline.work();
    }
}
