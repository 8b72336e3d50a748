package org.reseq.resequencer.release;

import java.util.List;
import org.reseq.model.redis.TransformResult;
import org.reseq.resequencer.fake.InMemoryResultBuffer;

/** The contract against the fake the leader's unit tests use. */
class InMemoryResultBufferTests extends ResultBufferContract {

    private final InMemoryResultBuffer buffer = new InMemoryResultBuffer();

    @Override
    ResultBuffer buffer() {
        return buffer;
    }

    @Override
    void finished(String destination, TransformResult result) {
        buffer.finished(destination, result);
    }

    @Override
    List<Long> released(String destination) {
        return buffer.out(destination).stream().map(TransformResult::sequence).toList();
    }

    @Override
    void requestRewind(String destination) {
        buffer.requestRewind(destination);
    }

    @Override
    void lose(String destination) {
        buffer.lose(destination);
    }
}
