package org.reseq.worker.transform;

import com.dashjoin.jsonata.JException;
import com.dashjoin.jsonata.Jsonata;
import java.util.LinkedHashMap;
import org.reseq.model.destination.JsonataExpressions;
import org.reseq.transform.PermanentTransformException;
import org.reseq.transform.TransformRequest;

/**
 * One evaluation of a parsed JSONata expression for a message, as the {@code jsonata} and
 * {@code headers} transforms run it: in a frame of its own with the {@link JsonataLimits}, the
 * message's metadata bound as {@code $destination}, {@code $sequence}, {@code $messageId},
 * {@code $contentType} and its travelling headers as {@code $headers}.
 *
 * <p>Every failure is permanent: the same expression over the same message fails the same way.
 */
final class JsonataEvaluation {

    private JsonataEvaluation() {
    }

    /**
     * The expression's result over {@code document}: JSONata's values ({@code null} for undefined).
     *
     * @param what names the transform in failure messages, such as {@code jsonata transform}
     */
    static Object evaluate(Jsonata expression, Object document, TransformRequest request, JsonataLimits limits,
            String what) {
        // A frame per evaluation: the runtime bounds count time and depth from its creation.
        Jsonata.Frame frame = expression.createFrame();
        frame.setRuntimeBounds(limits.timeout().toMillis(), limits.maxDepth());
        frame.bind("destination", request.destination());
        frame.bind("sequence", request.sequence());
        frame.bind("messageId", request.messageId().toString());
        frame.bind("contentType", request.contentType());
        frame.bind("headers", new LinkedHashMap<String, Object>(request.headers()));
        try {
            return expression.evaluate(document, frame);
        } catch (JException e) {
            throw new PermanentTransformException(what + " failed: " + JsonataExpressions.message(e));
        } catch (StackOverflowError e) {
            throw new PermanentTransformException(what + " failed: the evaluation recursed too deeply");
        } catch (RuntimeException e) {
            // The library is a port of JavaScript: some type errors surface as Java exceptions.
            throw new PermanentTransformException(what + " failed: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }
}
