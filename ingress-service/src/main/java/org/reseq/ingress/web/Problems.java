package org.reseq.ingress.web;

import java.net.URI;
import org.springframework.http.HttpStatusCode;

/** The problem type URIs of reseq's HTTP API (RFC 9457 {@code type}). */
public final class Problems {

    public static final String BASE = "https://reseq.dev/problems/";
    public static final URI INVALID_REQUEST = URI.create(BASE + "invalid-request");
    public static final URI NOT_FOUND = URI.create(BASE + "not-found");
    public static final URI CONFLICT = URI.create(BASE + "conflict");
    /** 409: an operator asked to retry or skip the head of line, but it is not blocked. */
    public static final URI HEAD_NOT_BLOCKED = URI.create(BASE + "head-not-blocked");
    /** 422: an idempotency key already names a different message (payload or content type) on the channel. */
    public static final URI IDEMPOTENCY_KEY_REUSED = URI.create(BASE + "idempotency-key-reused");
    public static final URI PAYLOAD_TOO_LARGE = URI.create(BASE + "payload-too-large");
    public static final URI BACKLOG_EXCEEDED = URI.create(BASE + "backlog-exceeded");
    public static final URI STORE_UNAVAILABLE = URI.create(BASE + "store-unavailable");
    public static final URI METHOD_NOT_ALLOWED = URI.create(BASE + "method-not-allowed");
    public static final URI NOT_ACCEPTABLE = URI.create(BASE + "not-acceptable");
    public static final URI UNSUPPORTED_MEDIA_TYPE = URI.create(BASE + "unsupported-media-type");
    public static final URI INTERNAL_ERROR = URI.create(BASE + "internal-error");

    private Problems() {
    }

    /** The type for a status that no more specific type describes. */
    public static URI forStatus(HttpStatusCode status) {
        return switch (status.value()) {
            case 400 -> INVALID_REQUEST;
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 406 -> NOT_ACCEPTABLE;
            case 409 -> CONFLICT;
            case 413 -> PAYLOAD_TOO_LARGE;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            case 503 -> STORE_UNAVAILABLE;
            case 500 -> INTERNAL_ERROR;
            default -> URI.create(BASE + "http-" + status.value());
        };
    }
}
