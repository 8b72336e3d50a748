package org.reseq.egress.delivery.http;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.reseq.model.destination.SecretMasking;

/**
 * Decides what an HTTP destination's answer means: any 2xx is accepted; 408, 429, 5xx (and no
 * answer at all) are worth another attempt; any other 4xx rejects the message itself, so it is
 * permanent. Pure, so the rule is tested on its own.
 */
final class ResponseClassifier {

    /** What a delivery attempt came to. */
    enum Verdict {
        /** The destination took the message: deliver the next one. */
        ACCEPTED,
        /** Not accepted: back off and send the same message again. */
        RETRY,
        /** Rejected for what it is: retried only a few times, then the failure policy decides. */
        PERMANENT
    }

    private ResponseClassifier() {
    }

    static Verdict classify(int statusCode) {
        if (statusCode >= 200 && statusCode <= 299) {
            return Verdict.ACCEPTED;
        }
        if (statusCode == 408 || statusCode == 429) {
            // Request Timeout and Too Many Requests say "not now", not "never".
            return Verdict.RETRY;
        }
        return statusCode >= 400 && statusCode <= 499 ? Verdict.PERMANENT : Verdict.RETRY;
    }

    /** No answer: a timeout, a refused or broken connection. The destination may be back soon. */
    static Verdict classify(IOException failure) {
        return Verdict.RETRY;
    }

    /**
     * The wait a {@code Retry-After} header asks for: delay-seconds or an HTTP date (RFC 9110
     * section 10.2.3), never negative; empty when absent or unreadable.
     */
    static Optional<Duration> retryAfter(Optional<String> header, Instant now) {
        if (header.isEmpty() || header.get().isBlank()) {
            return Optional.empty();
        }
        String value = header.get().trim();
        try {
            long seconds = Long.parseLong(value);
            return Optional.of(Duration.ofSeconds(Math.max(seconds, 0)));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration wait = Duration.between(now, at);
                return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }

    /**
     * A short reason for logs and for the retry history, without a stack trace. The client's
     * message may quote the request's URL: its secrets are masked.
     */
    static String describe(IOException failure) {
        if (failure instanceof SocketTimeoutException) {
            return "no answer within the timeout";
        }
        if (failure instanceof ConnectException) {
            return "cannot connect: " + SecretMasking.text(failure.getMessage());
        }
        return failure.getClass().getSimpleName() + ": " + SecretMasking.text(failure.getMessage());
    }

    static String describe(int statusCode) {
        return "answered HTTP " + statusCode;
    }
}
