package org.reseq.egress.delivery;

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

    /** Retries for as long as the retry settings allow. */
    static RetryGuard always() {
        return () -> true;
    }
}
