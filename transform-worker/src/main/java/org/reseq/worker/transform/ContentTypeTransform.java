package org.reseq.worker.transform;

import org.reseq.model.destination.TransformSpec;

/** The {@code content-type} built-in: keeps the payload's bytes and sets its content type. */
final class ContentTypeTransform implements Transform {

    private final String contentType;

    ContentTypeTransform(TransformSpec.ContentType spec) {
        this.contentType = spec.contentType();
    }

    @Override
    public TransformOutput apply(TransformInput input) {
        return new TransformOutput(input.payload(), contentType);
    }

    @Override
    public String toString() {
        return "content-type[" + contentType + "]";
    }
}
