package org.reseq.worker.transform;

import com.dashjoin.jsonata.Jsonata;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.reseq.model.destination.JsonataExpressions;
import org.reseq.model.destination.TransformSpec;
import org.reseq.transform.PermanentTransformException;
import org.reseq.transform.Transform;
import org.reseq.transform.TransformRequest;
import org.reseq.transform.TransformResponse;

/**
 * The {@code headers} built-in: copies, sets and removes the message's travelling headers, in
 * that order, and keeps its payload. Names are matched without regard to case; a header set
 * again keeps its place, a new one goes last. A {@code set} value may be a JSONata expression
 * ({@link JsonataEvaluation}) over the JSON payload, or over nothing when the payload is not
 * JSON; a string, number or boolean result is the value, an undefined one leaves the header out.
 *
 * <p>Threads: immutable; expressions are parsed once and evaluated by many threads at once.
 */
final class HeadersTransform implements Transform {

    private final Map<String, String> copy;
    private final Map<String, String> literals;
    private final Map<String, Jsonata> expressions;
    private final List<String> remove;
    private final JsonataLimits limits;

    HeadersTransform(TransformSpec.Headers spec, JsonataLimits limits) {
        this.copy = spec.copy();
        this.literals = new LinkedHashMap<>();
        this.expressions = new LinkedHashMap<>();
        spec.set().forEach((name, value) -> {
            String expression = TransformSpec.Headers.expressionOf(value);
            if (expression == null) {
                literals.put(name, (String) value);
            } else {
                Jsonata parsed = JsonataExpressions.parse(expression);
                parsed.setOutputConvertNulls(false);
                expressions.put(name, parsed);
            }
        });
        this.remove = spec.remove();
        this.limits = limits;
    }

    @Override
    public TransformResponse apply(TransformRequest request) {
        Map<String, String> headers = new LinkedHashMap<>(request.headers());
        copy.forEach((to, from) -> {
            String value = request.header(from);
            if (value != null) {
                put(headers, to, value);
            }
        });
        literals.forEach((name, value) -> put(headers, name, value));
        if (!expressions.isEmpty()) {
            Object document = documentOf(request.payload());
            expressions.forEach((name, expression) -> {
                Object result = JsonataEvaluation.evaluate(expression, document, request, limits,
                        "headers transform (" + name + ")");
                if (result == null) {
                    remove(headers, name);
                } else {
                    put(headers, name, text(name, result));
                }
            });
        }
        remove.forEach(name -> remove(headers, name));
        return new TransformResponse(request.payload(), request.contentType(), headers);
    }

    /** The JSON payload as JSONata reads it, or nothing (undefined) when it is not JSON. */
    private static Object documentOf(byte[] payload) {
        try {
            return JsonataDocuments.read(payload);
        } catch (PermanentTransformException notJson) {
            return null;
        }
    }

    private static String text(String name, Object result) {
        return switch (result) {
            case String string -> string;
            case Boolean bool -> bool.toString();
            case Double number when number == Math.rint(number) && !number.isInfinite() ->
                    BigDecimal.valueOf(number).toBigInteger().toString();
            case Number number -> number.toString();
            default -> throw new PermanentTransformException("headers transform (" + name + "): the expression gave "
                    + "a " + result.getClass().getSimpleName() + ", not a string, number or boolean");
        };
    }

    private static void put(Map<String, String> headers, String name, String value) {
        for (Map.Entry<String, String> header : headers.entrySet()) {
            if (header.getKey().equalsIgnoreCase(name)) {
                header.setValue(value);
                return;
            }
        }
        headers.put(name, value);
    }

    private static void remove(Map<String, String> headers, String name) {
        headers.keySet().removeIf(existing -> existing.equalsIgnoreCase(name));
    }

    @Override
    public String toString() {
        return "headers";
    }
}
