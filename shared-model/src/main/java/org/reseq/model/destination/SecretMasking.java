package org.reseq.model.destination;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks the secrets a destination's URLs may carry before they leave the process, in logs,
 * stored errors and admin reads. A URL keeps its scheme, host, port and path, which tell a
 * reader where it points; its user information becomes {@code ***}, each query parameter keeps
 * its name and has its value masked ({@code ?token=***&x=***}, a parameter without {@code =}
 * is masked whole), and a fragment is masked whole ({@code #***}). Names are kept because they
 * say which parameter is wrong without giving anything away.
 *
 * <p>Masking never throws, as recording a failure must never fail. A text that is not a
 * well-formed URI, or whose authority is not a plain {@code userinfo@host:port}, is masked as a
 * whole ({@code ***}): there is no telling what part of it is the secret.
 *
 * <p>Header values of a destination are never shown at all: they read {@link #HEADER_VALUE_MASK}.
 *
 * <p>Stateless; safe on any thread.
 */
public final class SecretMasking {

    /** What a masked part of a URL reads. */
    public static final String MASK = "***";
    /** What every outgoing header value reads in admin reads; never a valid secret worth keeping. */
    public static final String HEADER_VALUE_MASK = "******";

    /**
     * An absolute URL inside a free text: a scheme, {@code ://}, and what follows up to white
     * space, a quote or an angle bracket (how URLs are delimited in exception messages).
     */
    private static final Pattern URL_IN_TEXT = Pattern.compile("(?i)\\b[a-z][a-z0-9+.-]*://[^\\s\"'<>]*");

    private SecretMasking() {
    }

    /**
     * The URL with its user information, query values and fragment masked; null for null.
     * Masking a masked URL changes nothing.
     */
    public static String url(String url) {
        if (url == null) {
            return null;
        }
        try {
            URI uri = new URI(url);
            if (uri.isOpaque() || uri.getRawAuthority() != null && uri.getHost() == null) {
                // "user:pass@host" parses as an opaque URI of scheme "user"; "a@b@c" as a
                // registry-based authority without user information: neither can be split safely.
                return MASK;
            }
            return masked(url, uri);
        } catch (URISyntaxException | RuntimeException e) {
            return MASK;
        }
    }

    /**
     * The text with every absolute URL in it {@linkplain #url masked}; null for null. A URL runs
     * to the next white space, quote or angle bracket, so punctuation right after it (a comma, a
     * closing parenthesis) is masked with its last query value rather than risk leaving the end
     * of a secret.
     */
    public static String text(String text) {
        if (text == null) {
            return null;
        }
        try {
            Matcher urls = URL_IN_TEXT.matcher(text);
            StringBuilder masked = new StringBuilder(text.length());
            while (urls.find()) {
                urls.appendReplacement(masked, Matcher.quoteReplacement(url(urls.group())));
            }
            return urls.appendTail(masked).toString();
        } catch (RuntimeException e) {
            // Not expected of any text; showing none of it is the safe answer.
            return MASK;
        }
    }

    /**
     * Whether the URL holds a mask where a secret would be: user information, a query value or a
     * fragment that reads {@link #MASK}. Such a URL was copied from an admin read, not written
     * by someone who knows the secret.
     */
    public static boolean holdsMask(String url) {
        if (url == null) {
            return false;
        }
        try {
            URI uri = new URI(url);
            if (MASK.equals(uri.getRawUserInfo()) || MASK.equals(uri.getRawFragment())) {
                return true;
            }
            String query = uri.getRawQuery();
            if (query != null) {
                for (String parameter : query.split("&", -1)) {
                    if (parameter.equals(MASK) || parameter.endsWith("=" + MASK)) {
                        return true;
                    }
                }
            }
            return false;
        } catch (URISyntaxException e) {
            return url.contains(MASK);
        }
    }

    /**
     * Rebuilds {@code url} from its own text: a parsed URI's raw parts are exact substrings of
     * it, so everything that is not masked stays as it was written.
     */
    private static String masked(String url, URI uri) {
        String rest = url;
        String fragment = "";
        if (uri.getRawFragment() != null) {
            rest = rest.substring(0, rest.length() - uri.getRawFragment().length() - 1);
            fragment = "#" + MASK;
        }
        String query = "";
        if (uri.getRawQuery() != null) {
            rest = rest.substring(0, rest.length() - uri.getRawQuery().length() - 1);
            query = "?" + maskedQuery(uri.getRawQuery());
        }
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null) {
            int authority = rest.indexOf("//") + 2;
            rest = rest.substring(0, authority) + MASK + rest.substring(authority + userInfo.length());
        }
        return rest + query + fragment;
    }

    private static String maskedQuery(String query) {
        StringBuilder masked = new StringBuilder(query.length());
        String[] parameters = query.split("&", -1);
        for (int i = 0; i < parameters.length; i++) {
            if (i > 0) {
                masked.append('&');
            }
            String parameter = parameters[i];
            int equals = parameter.indexOf('=');
            if (equals >= 0) {
                masked.append(parameter, 0, equals + 1).append(MASK);
            } else if (!parameter.isEmpty()) {
                masked.append(MASK);
            }
        }
        return masked.toString();
    }
}
