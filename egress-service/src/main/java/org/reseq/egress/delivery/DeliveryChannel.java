package org.reseq.egress.delivery;

import org.reseq.model.destination.DestinationConfig;
import org.reseq.model.destination.DestinationType;

/**
 * Hands messages to destinations of one {@link DestinationType}, one at a time.
 *
 * <p>Threads: {@link #deliver} runs entirely on the calling thread (a destination's leader), so
 * one destination never has two messages in flight. Implementations are shared by all leaders
 * and must be thread-safe.
 */
public interface DeliveryChannel {

    /** The kind of destination this channel reaches. */
    DestinationType type();

    /**
     * Delivers one message and returns once the destination accepted it. Failed attempts are
     * retried with capped exponential backoff; after each failed attempt {@code guard} decides
     * whether to keep trying.
     *
     * @param config the destination's configuration (where to and how long to wait)
     * @param delivery the message
     * @param guard asked after every failed attempt, on the calling thread
     * @throws DeliveryStoppedException when the guard said stop or the attempts ran out: not accepted
     * @throws InterruptedException when the calling thread was interrupted: not known to be accepted
     * @throws Exception whatever {@code guard} threw, unchanged
     */
    void deliver(DestinationConfig config, Delivery delivery, RetryGuard guard) throws Exception;
}
