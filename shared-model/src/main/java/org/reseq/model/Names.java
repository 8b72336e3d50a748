package org.reseq.model;

import java.util.regex.Pattern;

/** The rule for channel and destination names: 1 to 64 characters of a-z, 0-9, '-' and '_'. */
public final class Names {

    private static final Pattern VALID = Pattern.compile("[a-z0-9_-]{1,64}");

    public static final String RULE = "must be 1 to 64 characters of a-z, 0-9, '-' and '_'";

    private Names() {
    }

    public static boolean isValid(String name) {
        return name != null && VALID.matcher(name).matches();
    }
}
