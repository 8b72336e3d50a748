package org.reseq.egress.delivery;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * Decides, after a failed delivery attempt, whether the message is still worth retrying: its
 * destination may have been paused, reconfigured or deleted in the meantime; and, right before an
 * attempt's bytes go out, whether they still may. Called on the delivering thread.
 */
@FunctionalInterface
public interface RetryGuard {

    /**
     * @return true to back off and try again, false to stop without delivering
     * @throws Exception to stop; the delivery rethrows it unchanged
     */
    boolean keepTrying() throws Exception;

    /**
     * Called as late as the channel can, right before an attempt's bytes go to the destination:
     * throws to keep them from going out (a leader whose lease term ended). A pause of the process
     * between this check and the write is the only way a replaced leader's message can still
     * arrive, so nothing of note may happen in between.
     */
    default void beforeSend() {
    }

    /**
     * Waits {@code delay} before the next attempt; returns early, by throwing, when the delivery is
     * to stop meanwhile (a leader being stopped ends its backoff at once this way, not by an interrupt).
     *
     * @throws DeliveryStoppedException to stop without another attempt
     * @throws InterruptedException when the calling thread was interrupted
     */
    default void backOff(Duration delay) throws InterruptedException, DeliveryStoppedException {
        Thread.sleep(delay);
    }

    /**
     * The message was rejected for good as often as allowed and, the destination's failure policy
     * being BLOCK, now holds the destination: called once, when it starts to.
     */
    default void holding(String why) {
    }

    /** This guard, also telling {@code listener} when the message starts to hold the destination. */
    default RetryGuard whenHolding(Consumer<String> listener) {
        RetryGuard self = this;
        return new RetryGuard() {
            @Override
            public boolean keepTrying() throws Exception {
                return self.keepTrying();
            }

            @Override
            public void beforeSend() {
                self.beforeSend();
            }

            @Override
            public void backOff(Duration delay) throws InterruptedException, DeliveryStoppedException {
                self.backOff(delay);
            }

            @Override
            public void holding(String why) {
                self.holding(why);
                listener.accept(why);
            }
        };
    }

    /** Retries for as long as the retry settings allow. */
    static RetryGuard always() {
        return () -> true;
    }
}
