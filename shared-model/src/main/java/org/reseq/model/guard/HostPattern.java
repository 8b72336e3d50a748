package org.reseq.model.guard;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A host name, or {@code *.} and a domain for every name below it ({@code *.internal.example}
 * holds {@code a.internal.example} and {@code b.c.internal.example}, not {@code internal.example}).
 * Matched against the host as the destination names it, case-insensitively and without a
 * trailing dot; an IP literal in a destination is matched by {@link AddressBlock}s only.
 * Immutable.
 */
public final class HostPattern {

    private static final String LABEL = "[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?";
    private static final Pattern NAME = Pattern.compile(LABEL + "(\\." + LABEL + ")*");

    /** The exact name, or the suffix (with its leading dot) every matching name ends with. */
    private final String name;
    private final boolean subdomains;

    private HostPattern(String name, boolean subdomains) {
        this.name = name;
        this.subdomains = subdomains;
    }

    /** @throws IllegalArgumentException when {@code text} is neither a host name nor {@code *.} and a domain */
    public static HostPattern parse(String text) {
        String normalized = normalize(text.strip());
        boolean subdomains = normalized.startsWith("*.");
        String domain = subdomains ? normalized.substring(2) : normalized;
        if (!NAME.matcher(domain).matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a host name or *.domain pattern");
        }
        return new HostPattern(subdomains ? "." + domain : domain, subdomains);
    }

    public boolean matches(String host) {
        if (host == null) {
            return false;
        }
        String candidate = normalize(Addresses.unbracketed(host));
        return subdomains ? candidate.endsWith(name) && candidate.length() > name.length() : candidate.equals(name);
    }

    private static String normalize(String host) {
        String lower = host.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof HostPattern pattern && pattern.subdomains == subdomains && pattern.name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return subdomains ? "*" + name : name;
    }
}
