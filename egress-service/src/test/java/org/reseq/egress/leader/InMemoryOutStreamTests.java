package org.reseq.egress.leader;

import java.util.List;
import java.util.OptionalLong;
import org.reseq.egress.fake.InMemoryOutStream;
import org.reseq.model.redis.TransformResult;
import org.springframework.data.redis.connection.stream.RecordId;

/** The contract against the fake the leader's unit tests use. */
class InMemoryOutStreamTests extends OutStreamContract {

    private final InMemoryOutStream out = new InMemoryOutStream();

    @Override
    OutStream out() {
        return out;
    }

    @Override
    RecordId append(String destination, TransformResult result) {
        return out.append(destination, result);
    }

    @Override
    RecordId append(String destination, RecordId id, TransformResult result) {
        return out.append(destination, id, result);
    }

    @Override
    RecordId appendUndecodable(String destination) {
        return out.appendUndecodable(destination);
    }

    @Override
    void lose(String destination) {
        out.lose(destination);
    }

    @Override
    OptionalLong rewindRequested(String destination) {
        return out.rewindRequested(destination);
    }

    @Override
    List<Long> deliveredSignals(String destination) {
        return out.deliveredSignals(destination);
    }
}
