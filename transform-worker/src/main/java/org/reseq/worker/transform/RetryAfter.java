package org.reseq.worker.transform;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Reads an HTTP {@code Retry-After} value (RFC 9110, 10.2.3): a number of seconds, or a date
 * relative to {@code now}. A date in the past means "now"; anything unreadable is ignored, and
 * the usual backoff applies.
 */
final class RetryAfter {

    /** Longer numbers are not seconds anyone means, and would overflow a {@link Duration} in millis. */
    private static final int MAX_DIGITS = 9;

    private RetryAfter() {
    }

    static Optional<Duration> parse(String value, Instant now) {
        if (value == null) {
            return Optional.empty();
        }
        String text = value.strip();
        if (!text.isEmpty() && text.length() <= MAX_DIGITS && text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Optional.of(Duration.ofSeconds(Long.parseLong(text)));
        }
        try {
            Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return Optional.of(at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
