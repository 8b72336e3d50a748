package org.reseq.ingress.commit;

/**
 * A commit failed because the store could not be reached at all (no connection to be had, or
 * the server cut it), not because of anything in the batch: another attempt right now would fail
 * the same way.
 */
public class StoreUnreachableException extends Exception {

    public StoreUnreachableException(Throwable cause) {
        super("The store cannot be reached: " + cause.getMessage(), cause);
    }
}
