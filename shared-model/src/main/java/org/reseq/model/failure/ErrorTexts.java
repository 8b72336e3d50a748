package org.reseq.model.failure;

import java.nio.charset.StandardCharsets;
import org.reseq.model.destination.SecretMasking;

/**
 * Makes any error text safe to store: a failure's description comes from wherever the failure
 * came from (a destination's response body, an exception from a transform), and may hold NUL
 * bytes or lone surrogates, which PostgreSQL refuses in {@code text}, or be megabytes long.
 * Recording a failure must never fail, so every stored error goes through {@link #clean}. It may
 * also quote a URL with credentials in it (an HTTP client's exception naming its request), so
 * every URL in it is {@linkplain SecretMasking#text masked} as well.
 */
public final class ErrorTexts {

    /** At most this many UTF-8 bytes are kept. */
    public static final int MAX_BYTES = 2048;
    private static final String CUT = "…";
    private static final int CUT_BYTES = CUT.getBytes(StandardCharsets.UTF_8).length;

    private ErrorTexts() {
    }

    /**
     * The text with the secrets of every URL in it masked, every control character (NUL, line
     * breaks, escapes) replaced by a space, every lone surrogate by U+FFFD, and cut to
     * {@link #MAX_BYTES} UTF-8 bytes at a character boundary, ending in "…" when cut.
     * {@code null} becomes an empty text.
     */
    public static String clean(String text) {
        if (text == null) {
            return "";
        }
        text = SecretMasking.text(text);
        StringBuilder cleaned = new StringBuilder(Math.min(text.length(), MAX_BYTES));
        int bytes = 0;
        // how much of the text still leaves room for the cut mark, should the text turn out too long
        int lengthBeforeMark = 0;
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            i += Character.charCount(codePoint);
            if (Character.isISOControl(codePoint)) {
                codePoint = ' ';
            } else if (Character.getType(codePoint) == Character.SURROGATE) {
                codePoint = '\uFFFD';
            }
            bytes += utf8Bytes(codePoint);
            if (bytes > MAX_BYTES) {
                cleaned.setLength(lengthBeforeMark);
                return cleaned.append(CUT).toString();
            }
            cleaned.appendCodePoint(codePoint);
            if (bytes <= MAX_BYTES - CUT_BYTES) {
                lengthBeforeMark = cleaned.length();
            }
        }
        return cleaned.toString();
    }

    private static int utf8Bytes(int codePoint) {
        if (codePoint < 0x80) {
            return 1;
        }
        if (codePoint < 0x800) {
            return 2;
        }
        return codePoint < 0x10000 ? 3 : 4;
    }
}
