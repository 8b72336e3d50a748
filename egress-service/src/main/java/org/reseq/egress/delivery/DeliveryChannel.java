package org.reseq.egress.delivery;

import java.util.List;
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
     * @throws DeliveryStoppedException when the guard said stop, the attempts ran out or the message
     *         cannot be sent as configured: not accepted
     * @throws InterruptedException when the calling thread was interrupted: not known to be accepted
     * @throws Exception whatever {@code guard} threw, unchanged
     */
    void deliver(DestinationConfig config, Delivery delivery, RetryGuard guard) throws Exception;

    /** Whether {@link #deliverBatch} hands several messages over in one exchange. */
    default boolean batches() {
        return false;
    }

    /**
     * Delivers {@code batch}, consecutive messages in sequence order, in one exchange and returns
     * once the destination accepted all of them; retried as a whole as {@link #deliver} is. A
     * batch of one follows the destination's failure policy as a single message does; a larger
     * batch the destination rejects for good stops after the permanent attempts whatever the
     * policy, so that the caller can find the message it rejects by sending them one at a time.
     *
     * @throws UnsupportedOperationException when this channel does not {@link #batches()}
     */
    default void deliverBatch(DestinationConfig config, List<Delivery> batch, RetryGuard guard) throws Exception {
        throw new UnsupportedOperationException(type() + " destinations take one message at a time");
    }

    /**
     * Ends the delivery to {@code destination} in flight, if any, at once (closing or cancelling
     * its request): its {@link #deliver} then fails its attempt. Called from another thread than
     * the delivering one (a leader being stopped); thread-safe.
     */
    default void abort(String destination) {
    }

    /**
     * Lets go of what the channel holds for {@code destination}, such as an open connection.
     * Called by the destination's leader, on its own thread, when it stops and when the
     * destination was reconfigured; the next {@link #deliver} starts afresh.
     */
    default void release(String destination) {
    }
}
