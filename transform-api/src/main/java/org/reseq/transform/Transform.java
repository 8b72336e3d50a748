package org.reseq.transform;

/**
 * One step of a destination's transform chain.
 *
 * <p>Threading: {@link #apply} runs on a virtual thread of its own, one per attempt, and may be
 * called by many threads at once, so implementations keep no per-call state. When an attempt
 * times out its thread is interrupted: a transform that waits must wait interruptibly and give
 * up when interrupted.
 */
@FunctionalInterface
public interface Transform {

    /**
     * Transforms one message.
     *
     * @param request the payload and headers so far and the delivery they belong to
     * @return the new payload, content type and headers
     * @throws InterruptedException when the attempt was cancelled while waiting
     * @throws PermanentTransformException when another attempt would fail alike: the message fails
     *     at once and goes to its destination's {@code onFailure} policy
     * @throws RetryLaterException when the attempt failed and the next one should wait at least
     *     the time it names
     * @throws Exception any other failure: the attempt failed and may be retried, within the
     *     destination's {@code transformAttempts}
     */
    TransformResponse apply(TransformRequest request) throws Exception;
}
