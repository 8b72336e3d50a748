package org.reseq.worker.transform;

import java.time.Duration;
import java.util.List;
import org.reseq.model.destination.DestinationConfig;
import org.reseq.transform.Transform;
import org.reseq.transform.TransformRequest;
import org.reseq.transform.TransformResponse;

/**
 * A destination's transforms, run in order, with the limits one attempt and the whole
 * delivery must respect. Immutable and shared by every thread that runs it.
 *
 * @param steps the transforms, in the order they run
 * @param attemptTimeout longest time one attempt of the whole chain may take
 * @param maxAttempts attempts before the delivery fails for good (at least 1)
 */
public record TransformChain(List<Transform> steps, Duration attemptTimeout, int maxAttempts) {

    public TransformChain {
        steps = List.copyOf(steps);
        if (attemptTimeout.isNegative() || attemptTimeout.isZero()) {
            throw new IllegalArgumentException("attemptTimeout must be positive, got " + attemptTimeout);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
        }
    }

    /** The chain a destination's configuration describes. */
    public static TransformChain of(DestinationConfig config, Transforms transforms) {
        return new TransformChain(config.transforms().stream().map(transforms::create).toList(),
                Duration.ofMillis(config.transformTimeoutMs()), config.transformAttempts());
    }

    /** Runs every step once, in order, feeding each the previous step's output. */
    public TransformResponse apply(TransformRequest input) throws Exception {
        TransformRequest current = input;
        TransformResponse output = input.reply(input.payload(), input.contentType());
        for (Transform step : steps) {
            output = step.apply(current);
            OutputHeaders.check(step, output.headers());
            current = current.with(output);
        }
        return output;
    }
}
