package org.reseq.model.destination;

import java.util.regex.Pattern;

/**
 * Checks content types given in configuration: a media type as HTTP writes it ({@code type/subtype}
 * with optional {@code ; name=value} parameters), so that it can be sent as a header unchanged.
 */
final class MediaTypes {

    static final int MAX_LENGTH = 255;

    private static final String TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
    private static final String QUOTED = "\"(?:[\\t\\x20-\\x21\\x23-\\x5b\\x5d-\\x7e]|\\\\[\\t\\x20-\\x7e])*\"";
    private static final Pattern MEDIA_TYPE = Pattern.compile(
            TOKEN + "/" + TOKEN + "(?:[ \\t]*;[ \\t]*" + TOKEN + "=(?:" + TOKEN + "|" + QUOTED + "))*");

    private MediaTypes() {
    }

    static boolean isValid(String contentType) {
        return contentType != null && contentType.length() <= MAX_LENGTH && MEDIA_TYPE.matcher(contentType).matches();
    }
}
