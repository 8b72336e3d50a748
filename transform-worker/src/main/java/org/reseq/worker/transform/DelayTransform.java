package org.reseq.worker.transform;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.reseq.model.destination.TransformSpec;
import org.reseq.transform.Transform;
import org.reseq.transform.TransformRequest;
import org.reseq.transform.TransformResponse;

/**
 * The {@code delay} built-in: waits a uniformly random time in [minMs, maxMs] and keeps the
 * payload, to simulate processing in demos and load tests.
 */
final class DelayTransform implements Transform {

    private final long minMs;
    private final long maxMs;
    private final Sleeper sleeper;

    DelayTransform(TransformSpec.Delay spec, Sleeper sleeper) {
        if (spec.minMs() < 0 || spec.maxMs() < spec.minMs()) {
            throw new IllegalArgumentException("delay needs 0 <= minMs <= maxMs, got " + spec);
        }
        this.minMs = spec.minMs();
        this.maxMs = spec.maxMs();
        this.sleeper = sleeper;
    }

    @Override
    public TransformResponse apply(TransformRequest input) throws InterruptedException {
        long waitMs = minMs == maxMs ? minMs : ThreadLocalRandom.current().nextLong(minMs, maxMs + 1);
        if (waitMs > 0) {
            sleeper.sleep(Duration.ofMillis(waitMs));
        }
        return input.reply(input.payload(), input.contentType());
    }

    @Override
    public String toString() {
        return "delay[" + minMs + ".." + maxMs + " ms]";
    }
}
