package org.reseq.worker.transform;

/**
 * A transform attempt failed in a way that another attempt would repeat, such as an answer over
 * the size limit: the item fails at once, without using up its remaining attempts.
 */
public class PermanentTransformException extends TransformException {

    public PermanentTransformException(String message) {
        super(message);
    }
}
