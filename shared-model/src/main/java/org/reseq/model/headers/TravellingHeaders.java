package org.reseq.model.headers;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.reseq.model.destination.Violation;

/**
 * The rules for the sender headers a channel keeps ({@code keepHeaders}): they are stored with the
 * message, passed to every transform and sent to HTTP destinations. A name that the delivery sets
 * itself, that frames an exchange (length, host, hop-by-hop) or that carries the sender's
 * credentials towards reseq cannot be kept: forwarded, it would either break the delivery or leak
 * a secret to every destination. Values are bounded per header and per message, so that what
 * travels with each message through the store and Redis stays small.
 *
 * <p>The headers of a message are a {@code Map<String, String>} in the channel's order, names
 * spelled as its {@code keepHeaders} spell them, one value per name (a sender's repeated header
 * joined with {@code ", "}).
 *
 * <p>Stateless and thread-safe.
 */
public final class TravellingHeaders {

    /** Most names one channel may keep. */
    public static final int MAX_NAMES = 16;
    /** Longest name, in characters. */
    public static final int MAX_NAME_LENGTH = 128;
    /** Longest value of one kept header, in characters. */
    public static final int MAX_VALUE_LENGTH = 1024;
    /** Most characters of names and values together that one message keeps. */
    public static final int MAX_TOTAL_LENGTH = 8 * 1024;
    /** How a sender's repeated header is joined into one value (RFC 9110, section 5.3). */
    public static final String JOIN = ", ";

    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1," + MAX_NAME_LENGTH + "}");
    private static final Pattern VALUE = Pattern.compile("[\\t\\x20-\\x7e\\x80-\\xff]*");
    private static final Set<String> REFUSED = Set.of(
            // set by the delivery itself (traceparent: the suite's own trace context, see tracing.Traceparent)
            "idempotency-key", "content-length", "content-type", "content-encoding", "transfer-encoding", "host",
            "traceparent",
            // hop by hop: they describe one connection, not the message
            "connection", "keep-alive", "proxy-connection", "te", "trailer", "upgrade", "expect",
            // the sender's credentials towards reseq, never to be passed on
            "authorization", "proxy-authorization", "cookie");
    private static final String RESERVED_PREFIX = "reseq-";

    private TravellingHeaders() {
    }

    /** Whether the name is an HTTP token of at most {@link #MAX_NAME_LENGTH} characters. */
    public static boolean isToken(String name) {
        return name != null && TOKEN.matcher(name).matches();
    }

    /** Whether a channel may not keep this name, whatever its case. */
    public static boolean isRefused(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return REFUSED.contains(lower) || lower.startsWith(RESERVED_PREFIX);
    }

    /** Adds a violation of {@code field} when the name cannot be kept. */
    public static void validateName(String field, String name, List<Violation> violations) {
        if (name == null || name.isEmpty()) {
            violations.add(new Violation(field, "is required"));
        } else if (!isToken(name)) {
            violations.add(new Violation(field, "'" + name + "' is not a valid header name (an HTTP token of at most "
                    + MAX_NAME_LENGTH + " characters)"));
        } else if (isRefused(name)) {
            violations.add(new Violation(field, "'" + name + "' cannot travel: the delivery sets it, it describes"
                    + " one connection, or it carries the sender's credentials"));
        }
    }

    /**
     * Validates a channel's {@code keepHeaders}: at most {@link #MAX_NAMES}, each one that may be
     * kept, none twice in any case. Violations name {@code field[i]}, or {@code field} for the count.
     */
    public static void validateNames(String field, List<String> names, List<Violation> violations) {
        if (names == null) {
            return;
        }
        if (names.size() > MAX_NAMES) {
            violations.add(new Violation(field, "must name at most " + MAX_NAMES + " headers"));
            return;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            String at = field + "[" + i + "]";
            int before = violations.size();
            validateName(at, name, violations);
            if (violations.size() == before && !seen.add(name.toLowerCase(Locale.ROOT))) {
                violations.add(new Violation(at, "is listed more than once (names are case-insensitive)"));
            }
        }
    }

    /** Whether the value may travel: one line of at most {@link #MAX_VALUE_LENGTH} characters. */
    /**
     * Whether a header may go out with a delivery: a token name that is not refused, with a valid
     * value, whatever set it (a stored message, a transform).
     */
    public static boolean maySend(String name, String value) {
        return isToken(name) && !isRefused(name) && isValidValue(value);
    }

    public static boolean isValidValue(String value) {
        return value != null && value.length() <= MAX_VALUE_LENGTH && VALUE.matcher(value).matches();
    }

    /** Adds a violation of {@code field} when the value cannot travel. */
    public static void validateValue(String field, String value, List<Violation> violations) {
        if (value == null) {
            violations.add(new Violation(field, "is required"));
        } else if (!isValidValue(value)) {
            violations.add(new Violation(field, "must be a single line of at most " + MAX_VALUE_LENGTH
                    + " characters, without control characters other than tab"));
        }
    }

    /**
     * Picks the kept headers of one message from what its sender sent.
     *
     * @param keep the channel's {@code keepHeaders}, in its order and spelling
     * @param sent the sender's value of a header by name in any case, or null when it sent none
     * @param violations receives {@code headers.<Name>} for a value that cannot travel, and
     *        {@code headers} when together they are over {@link #MAX_TOTAL_LENGTH}
     * @return the kept headers in the channel's order; meaningless when violations were added
     */
    public static Map<String, String> keep(List<String> keep, Function<String, String> sent,
                                           List<Violation> violations) {
        Map<String, String> kept = new LinkedHashMap<>();
        int before = violations.size();
        int total = 0;
        for (String name : keep) {
            String value = sent.apply(name);
            if (value == null) {
                continue;
            }
            validateValue("headers." + name, value, violations);
            kept.put(name, value);
            total += name.length() + value.length();
        }
        if (violations.size() == before && total > MAX_TOTAL_LENGTH) {
            violations.add(new Violation("headers", "the kept headers hold " + total + " characters, more than "
                    + MAX_TOTAL_LENGTH));
        }
        return kept;
    }
}
