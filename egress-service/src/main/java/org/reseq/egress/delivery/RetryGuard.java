package org.reseq.egress.delivery;

/**
 * Decides, after a failed delivery attempt, whether the message is still worth retrying: its
 * destination may have been paused, reconfigured or deleted in the meantime. Called on the
 * delivering thread.
 */
@FunctionalInterface
public interface RetryGuard {

    /**
     * @return true to back off and try again, false to stop without delivering
     * @throws Exception to stop; the delivery rethrows it unchanged
     */
    boolean keepTrying() throws Exception;

    /** Retries for as long as the retry settings allow. */
    static RetryGuard always() {
        return () -> true;
    }
}
