package org.reseq.bench.send;

import java.time.Duration;

/** How long to wait before sending a refused message again. */
final class RetryAfter {

    static final Duration DEFAULT = Duration.ofMillis(500);
    private static final Duration MAX = Duration.ofSeconds(30);

    private RetryAfter() {
    }

    /**
     * @param header the {@code Retry-After} value in seconds, or null; an HTTP date or anything
     *     else unreadable falls back to the default
     */
    static Duration of(String header) {
        if (header == null || header.isBlank()) {
            return DEFAULT;
        }
        try {
            long seconds = Long.parseLong(header.strip());
            return seconds <= 0 ? DEFAULT : Duration.ofSeconds(Math.min(seconds, MAX.toSeconds()));
        } catch (NumberFormatException e) {
            return DEFAULT;
        }
    }
}
