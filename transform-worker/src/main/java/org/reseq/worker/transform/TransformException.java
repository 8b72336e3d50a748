package org.reseq.worker.transform;

/**
 * A transform attempt failed for a reason worth telling an operator; the message ends up in
 * the delivery's failed result, so it says what went wrong without a stack trace.
 */
public class TransformException extends RuntimeException {

    public TransformException(String message) {
        super(message);
    }

    public TransformException(String message, Throwable cause) {
        super(message, cause);
    }
}
