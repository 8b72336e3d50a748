package org.reseq.worker.transform;

import org.reseq.model.destination.TransformSpec;
import org.reseq.transform.Transform;
import org.reseq.transform.TransformRequest;
import org.reseq.transform.TransformResponse;

/** The {@code content-type} built-in: keeps the payload's bytes and sets its content type. */
final class ContentTypeTransform implements Transform {

    private final String contentType;

    ContentTypeTransform(TransformSpec.ContentType spec) {
        this.contentType = spec.contentType();
    }

    @Override
    public TransformResponse apply(TransformRequest input) {
        return input.reply(input.payload(), contentType);
    }

    @Override
    public String toString() {
        return "content-type[" + contentType + "]";
    }
}
