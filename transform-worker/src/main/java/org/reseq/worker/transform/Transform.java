package org.reseq.worker.transform;

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
     * @param input the payload so far and the delivery it belongs to
     * @return the new payload and its content type
     * @throws InterruptedException when the attempt was cancelled while waiting
     * @throws PermanentTransformException when another attempt would fail alike: the item fails
     *     at once and goes to its destination's {@code onFailure} policy
     * @throws RetryLaterException when the attempt failed and the next one should wait at least
     *     the time it names
     * @throws Exception any other failure: the attempt failed and may be retried
     */
    TransformOutput apply(TransformInput input) throws Exception;
}
