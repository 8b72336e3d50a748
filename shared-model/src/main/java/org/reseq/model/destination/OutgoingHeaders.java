package org.reseq.model.destination;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Rules for the extra headers an HTTP destination sends with every delivery. A header the
 * delivery sets itself (content, sequence, identity and trace headers) or one that frames the exchange
 * (length, host, connection) cannot be replaced; names are HTTP tokens and values one line.
 */
final class OutgoingHeaders {

    /** Most headers one destination may carry, a bound on what each delivery sends. */
    static final int MAX_HEADERS = 32;

    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}");
    private static final Pattern VALUE = Pattern.compile("[\\t\\x20-\\x7e\\x80-\\xff]{0,8192}");
    private static final Set<String> RESERVED = Set.of("content-type", "content-length", "content-encoding",
            "transfer-encoding", "host", "connection", "keep-alive", "upgrade", "te", "trailer",
            "idempotency-key", "expect",
            // the delivery's own trace context: a fixed value would tie every delivery to one trace
            "traceparent");

    private OutgoingHeaders() {
    }

    static void validate(Map<String, String> headers, List<Violation> violations) {
        if (headers == null) {
            return;
        }
        if (headers.size() > MAX_HEADERS) {
            violations.add(new Violation("headers", "must hold at most " + MAX_HEADERS + " headers"));
            return;
        }
        headers.forEach((name, value) -> {
            String field = "headers." + name;
            String lower = name.toLowerCase(Locale.ROOT);
            if (!TOKEN.matcher(name).matches()) {
                violations.add(new Violation("headers", "'" + name + "' is not a valid header name"));
            } else if (RESERVED.contains(lower) || lower.startsWith("reseq-")) {
                violations.add(new Violation(field, "is set by the delivery itself and cannot be replaced"));
            } else if (value == null || !VALUE.matcher(value).matches()) {
                violations.add(new Violation(field, "must be a single-line value of at most 8192 characters"));
            }
        });
    }
}
