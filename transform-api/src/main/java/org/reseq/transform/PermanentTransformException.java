package org.reseq.transform;

/**
 * A transform attempt failed in a way that another attempt would repeat, such as a payload the
 * transform cannot read: the message fails at once, without using up its remaining attempts,
 * and goes to its destination's {@code onFailure} policy.
 */
public class PermanentTransformException extends TransformException {

    public PermanentTransformException(String message) {
        super(message);
    }

    public PermanentTransformException(String message, Throwable cause) {
        super(message, cause);
    }
}
