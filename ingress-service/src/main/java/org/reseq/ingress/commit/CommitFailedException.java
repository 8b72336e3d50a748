package org.reseq.ingress.commit;

/** The message's transaction did not commit (or is shutting down): nothing of it was accepted. */
public class CommitFailedException extends RuntimeException {

    public CommitFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
