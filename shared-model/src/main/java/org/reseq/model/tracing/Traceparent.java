package org.reseq.model.tracing;

import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The W3C trace context of a message as it is stored with it ({@code message.traceparent}) and
 * carried in work items and results: the trace it belongs to, the span its children hang from
 * (the span that ingested it) and whether the trace is sampled. Written as a version-00
 * {@code traceparent} header value, {@code 00-<32 hex trace id>-<16 hex span id>-<2 hex flags>}.
 *
 * <p>Immutable.
 *
 * @param traceId 32 lower-case hex digits, not all zero
 * @param spanId 16 lower-case hex digits, not all zero
 * @param sampled whether the trace is sampled (flag bit 0)
 */
public record Traceparent(String traceId, String spanId, boolean sampled) {

    /** The header that carries it, in the spelling of W3C Trace Context. */
    public static final String HEADER = "traceparent";

    private static final Pattern TRACE_ID = Pattern.compile("[0-9a-f]{32}");
    private static final Pattern SPAN_ID = Pattern.compile("[0-9a-f]{16}");
    // Any version but ff; a later version may append fields after the flags ("-..."), which are ignored.
    private static final Pattern HEADER_VALUE = Pattern.compile(
            "(?!ff)[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?");

    public Traceparent {
        Objects.requireNonNull(traceId, "traceId");
        Objects.requireNonNull(spanId, "spanId");
        if (!TRACE_ID.matcher(traceId).matches() || isZero(traceId)) {
            throw new IllegalArgumentException("Not a trace id: '" + traceId + "'");
        }
        if (!SPAN_ID.matcher(spanId).matches() || isZero(spanId)) {
            throw new IllegalArgumentException("Not a span id: '" + spanId + "'");
        }
    }

    /**
     * Reads a {@code traceparent} value; case is ignored on the way in, as senders differ.
     *
     * @return the trace context, or null when the value is null or not a valid {@code traceparent}
     *         (a value that cannot be read starts no trace of its own: the message simply has none)
     */
    public static Traceparent parse(String value) {
        if (value == null) {
            return null;
        }
        String lower = value.strip().toLowerCase(Locale.ROOT);
        Matcher match = HEADER_VALUE.matcher(lower);
        if (!match.matches()) {
            return null;
        }
        if (lower.startsWith("00") && match.group(4) != null) {
            return null; // version 00 has exactly four fields
        }
        String traceId = match.group(1);
        String spanId = match.group(2);
        if (isZero(traceId) || isZero(spanId)) {
            return null;
        }
        boolean sampled = (Integer.parseInt(match.group(3), 16) & 1) == 1;
        return new Traceparent(traceId, spanId, sampled);
    }

    /** The trace id's 16 bytes, as OTLP and other binary encodings carry it. */
    public byte[] traceIdBytes() {
        return HexFormat.of().parseHex(traceId);
    }

    /** As a version-00 {@code traceparent} header value. */
    @Override
    public String toString() {
        return "00-" + traceId + "-" + spanId + (sampled ? "-01" : "-00");
    }

    private static boolean isZero(String hex) {
        for (int i = 0; i < hex.length(); i++) {
            if (hex.charAt(i) != '0') {
                return false;
            }
        }
        return true;
    }
}
