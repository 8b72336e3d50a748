package org.reseq.transform;

/**
 * A transform attempt failed for a reason worth telling an operator; the message ends up in the
 * delivery's failed result and the destination's status, so it says what went wrong without a
 * stack trace. The attempt may be retried; see {@link PermanentTransformException} for failures
 * that another attempt would repeat.
 */
public class TransformException extends RuntimeException {

    public TransformException(String message) {
        super(message);
    }

    public TransformException(String message, Throwable cause) {
        super(message, cause);
    }
}
