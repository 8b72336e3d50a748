package org.reseq.worker.transform;

import java.time.Duration;

/**
 * Bounds on one evaluation of a {@code jsonata} expression. JSONata can loop and recurse, and
 * evaluation is plain computation that an interrupt does not stop, so the chain's timeout alone
 * would leave a runaway expression burning a core after its attempt was abandoned.
 *
 * @param timeout longest time one evaluation may take; checked at every step of the evaluation
 * @param maxDepth deepest nesting of evaluation steps, which bounds recursive functions
 */
public record JsonataLimits(Duration timeout, int maxDepth) {

    /** One second and a depth of 200: far more than a mapping of one message needs. */
    public static final JsonataLimits DEFAULTS = new JsonataLimits(Duration.ofSeconds(1), 200);

    public JsonataLimits {
        if (!timeout.isPositive() || maxDepth < 1) {
            throw new IllegalArgumentException("need a positive timeout and maxDepth, got " + timeout + " and "
                    + maxDepth);
        }
    }
}
