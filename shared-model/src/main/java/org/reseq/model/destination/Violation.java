package org.reseq.model.destination;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;

/**
 * One invalid field of a request.
 *
 * @param field the field's path, for example {@code url} or {@code transforms[0].maxMs}
 * @param message what is wrong with it
 */
public record Violation(String field, String message) {

    static void requireHttpUrl(String field, String url, List<Violation> violations) {
        if (url == null || url.isBlank()) {
            violations.add(new Violation(field, "is required"));
            return;
        }
        try {
            URI uri = new URI(url);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                violations.add(new Violation(field, "must be an absolute http or https URL"));
            } else if (uri.getRawUserInfo() != null) {
                // HTTP clients no longer send credentials from a URL: saved, it could only fail.
                violations.add(new Violation(field, "must not carry user information, which is never sent;"
                        + " an HTTP destination takes credentials in headers (such as Authorization)"));
            }
        } catch (URISyntaxException e) {
            violations.add(new Violation(field, "must be an absolute http or https URL"));
        }
    }
}
