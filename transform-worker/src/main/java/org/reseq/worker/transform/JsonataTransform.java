package org.reseq.worker.transform;

import com.dashjoin.jsonata.Jsonata;
import org.reseq.model.destination.JsonataExpressions;
import org.reseq.model.destination.TransformSpec;
import org.reseq.transform.Transform;
import org.reseq.transform.TransformRequest;
import org.reseq.transform.TransformResponse;

/**
 * The {@code jsonata} built-in: evaluates a JSONata expression over the JSON payload, with the
 * delivery's metadata and headers bound as variables ({@link JsonataEvaluation}); the result
 * becomes the payload, as {@code application/json}.
 *
 * <p>Every failure is permanent ({@link PermanentTransformException}): a payload that is not
 * JSON, an error the expression raises, an evaluation over its {@link JsonataLimits}, a result
 * that is undefined or not representable as JSON would all be the same on the next attempt.
 *
 * <p>Threads: the expression is parsed once and evaluated by many attempt threads at once; each
 * evaluation has a frame of its own (variables and limits), and the library keeps its scratch
 * state per thread.
 */
final class JsonataTransform implements Transform {

    static final String CONTENT_TYPE = "application/json";

    private final Jsonata expression;
    private final JsonataLimits limits;

    JsonataTransform(TransformSpec.Jsonata spec, JsonataLimits limits) {
        this.expression = JsonataExpressions.parse(spec.expression());
        // Keep JSON's null apart from undefined in results: the first is written, the second left out.
        this.expression.setOutputConvertNulls(false);
        this.limits = limits;
    }

    @Override
    public TransformResponse apply(TransformRequest input) {
        Object document = JsonataDocuments.read(input.payload());
        Object result = JsonataEvaluation.evaluate(expression, document, input, limits, "jsonata transform");
        return input.reply(JsonataDocuments.write(result), CONTENT_TYPE);
    }

    @Override
    public String toString() {
        return "jsonata";
    }
}
