package org.reseq.model.guard;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Pattern;

/** Reading IP literals without ever asking DNS, and one canonical form per address. */
final class Addresses {

    private static final Pattern IPV4_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private Addresses() {
    }

    /**
     * The address {@code text} spells out, empty when it is not an IP literal (a host name).
     * Only dotted quads count as IPv4: {@code InetAddress} would also take forms such as
     * {@code 10.1} or a lone number, which nobody means as an address in a configuration.
     */
    static Optional<InetAddress> literal(String text) {
        String bare = unbracketed(text);
        try {
            if (IPV4_LITERAL.matcher(bare).matches()) {
                for (String octet : bare.split("\\.")) {
                    if (Integer.parseInt(octet) > 255) {
                        return Optional.empty();
                    }
                }
                return Optional.of(canonical(InetAddress.getByName(bare)));
            }
            if (bare.indexOf(':') >= 0) {
                // Bracketed, InetAddress takes it as an IPv6 literal or fails: it never looks it up.
                return Optional.of(canonical(InetAddress.getByName("[" + bare + "]")));
            }
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** The host as written in a URL or a configuration, without the brackets of an IPv6 literal. */
    static String unbracketed(String host) {
        return host.length() > 1 && host.startsWith("[") && host.endsWith("]")
                ? host.substring(1, host.length() - 1) : host;
    }

    /**
     * An IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d}) as the IPv4 address it reaches, so
     * that one rule covers both spellings; every other address unchanged.
     */
    static InetAddress canonical(InetAddress address) {
        if (address instanceof Inet6Address) {
            byte[] bytes = address.getAddress();
            boolean mapped = Arrays.equals(bytes, 0, 10, new byte[10], 0, 10)
                    && bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
            if (mapped) {
                try {
                    return InetAddress.getByAddress(Arrays.copyOfRange(bytes, 12, 16));
                } catch (UnknownHostException e) {
                    throw new IllegalStateException("four bytes are always an IPv4 address", e);
                }
            }
        }
        return address;
    }

    /** {@code host:port}, with an IPv6 literal in brackets. */
    static String endpoint(String host, int port) {
        String bare = unbracketed(host);
        return (bare.indexOf(':') >= 0 ? "[" + bare + "]" : bare) + ":" + port;
    }
}
