package org.reseq.resequencer.failure;

import org.reseq.model.failure.OperatorCommand;
import org.reseq.resequencer.fake.InMemoryPipeline;

/** The contract against the fake the leader's unit tests use. */
class InMemoryOperatorCommandsTests extends OperatorCommandsContract {

    private final InMemoryPipeline pipeline = new InMemoryPipeline();

    @Override
    OperatorCommands commands() {
        return pipeline;
    }

    @Override
    void queue(OperatorCommand command) {
        pipeline.command(destination, command);
    }

    @Override
    void fence(long epoch) {
        pipeline.results.fence(destination, epoch);
    }
}
