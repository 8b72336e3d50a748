package org.reseq.ingress.web;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.reseq.model.destination.Violation;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/**
 * A request that ends in a problem response. Thrown by controllers, turned into
 * {@code application/problem+json} by {@link ProblemHandler}.
 */
public final class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final URI type;
    private final String title;
    private final Map<String, Object> properties;
    private final Map<String, String> headers;

    private ApiException(HttpStatus status, URI type, String title, String detail, Map<String, Object> properties,
            Throwable cause) {
        this(status, type, title, detail, properties, Map.of(), cause);
    }

    private ApiException(HttpStatus status, URI type, String title, String detail, Map<String, Object> properties,
            Map<String, String> headers, Throwable cause) {
        super(detail, cause);
        this.status = status;
        this.type = type;
        this.title = title;
        this.properties = properties;
        this.headers = headers;
    }

    /** 400: the request is invalid; {@code errors} names every invalid field. */
    public static ApiException invalid(List<Violation> errors) {
        String detail = errors.size() == 1
                ? errors.getFirst().field() + " " + errors.getFirst().message()
                : errors.size() + " fields are invalid";
        return new ApiException(HttpStatus.BAD_REQUEST, Problems.INVALID_REQUEST, "Invalid request", detail,
                Map.of("errors", List.copyOf(errors)), null);
    }

    /** 415: the body's content type is not one the endpoint reads. */
    public static ApiException unsupportedMediaType(String detail) {
        return new ApiException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, Problems.UNSUPPORTED_MEDIA_TYPE,
                "Unsupported media type", detail, Map.of(), null);
    }

    public static ApiException notFound(String detail) {
        return new ApiException(HttpStatus.NOT_FOUND, Problems.NOT_FOUND, "Not found", detail, Map.of(), null);
    }

    public static ApiException conflict(String detail, Map<String, Object> properties) {
        return new ApiException(HttpStatus.CONFLICT, Problems.CONFLICT, "Conflict", detail, properties, null);
    }

    /** 409: an operator command that only applies to a blocked head of line, when the head is not blocked. */
    public static ApiException headNotBlocked(String detail, Map<String, Object> properties) {
        return new ApiException(HttpStatus.CONFLICT, Problems.HEAD_NOT_BLOCKED, "Head not blocked", detail,
                properties, null);
    }

    public static ApiException payloadTooLarge(long limitBytes) {
        return new ApiException(HttpStatus.CONTENT_TOO_LARGE, Problems.PAYLOAD_TOO_LARGE, "Payload too large",
                "The payload exceeds the limit of " + limitBytes + " bytes", Map.of("limit", limitBytes), null);
    }

    /**
     * 422: the idempotency key, sent in {@code field}, already names a message on the channel
     * that differs from this one in payload or content type; nothing was stored.
     */
    public static ApiException idempotencyKeyReused(String field, String detail) {
        return new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, Problems.IDEMPOTENCY_KEY_REUSED,
                "Idempotency key reused", detail, Map.of("errors", List.of(new Violation(field,
                        "already names a message with a different payload or content type on this channel"))),
                null);
    }

    /** 503: the store could not commit; nothing was accepted and the sender should retry. */
    public static ApiException storeUnavailable(String detail, Throwable cause) {
        return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, Problems.STORE_UNAVAILABLE, "Store unavailable",
                detail, Map.of(), cause);
    }

    /**
     * 429: a destination of the channel has more undelivered messages than it allows; nothing was
     * accepted and the sender should retry after {@code retryAfter} (whole seconds, at least 1).
     */
    public static ApiException backlogExceeded(String detail, Map<String, Object> properties, Duration retryAfter) {
        long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        return new ApiException(HttpStatus.TOO_MANY_REQUESTS, Problems.BACKLOG_EXCEEDED, "Backlog exceeded", detail,
                properties, Map.of(HttpHeaders.RETRY_AFTER, Long.toString(seconds)), null);
    }

    public HttpStatus status() {
        return status;
    }

    HttpHeaders headers() {
        HttpHeaders result = new HttpHeaders();
        headers.forEach(result::set);
        return result;
    }

    ProblemDetail toProblem() {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, getMessage());
        problem.setType(type);
        problem.setTitle(title);
        new LinkedHashMap<>(properties).forEach(problem::setProperty);
        return problem;
    }
}
