package org.reseq.model.guard;

import java.net.InetAddress;
import java.util.Arrays;

/**
 * A block of IP addresses in CIDR notation, such as {@code 10.0.0.0/8} or {@code fd00::/8}; a
 * lone address is a block of one. Bits of the address beyond the prefix are ignored, as routers
 * ignore them. An IPv4 block also holds the IPv4-mapped IPv6 spellings of its addresses.
 * Immutable.
 */
public final class AddressBlock {

    private final byte[] network;
    private final int prefixLength;
    private final String text;

    private AddressBlock(byte[] network, int prefixLength, String text) {
        this.network = network;
        this.prefixLength = prefixLength;
        this.text = text;
    }

    /**
     * Reads {@code 192.168.0.0/16}, {@code fe80::/10}, {@code 127.0.0.1} or {@code ::1}.
     *
     * @throws IllegalArgumentException when {@code text} is no IP literal with an optional prefix length
     */
    public static AddressBlock parse(String text) {
        String trimmed = text.strip();
        int slash = trimmed.indexOf('/');
        String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
        byte[] bytes = Addresses.literal(address).map(InetAddress::getAddress)
                .orElseThrow(() -> new IllegalArgumentException("'" + text + "' is not an IP address or CIDR block"));
        int bits = bytes.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(trimmed.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("'" + text + "' has a prefix length outside 0 to " + bits);
            }
        }
        return new AddressBlock(masked(bytes, prefix), prefix, trimmed);
    }

    /** Whether {@code address} lies in this block; an IPv4 block never holds a (non-mapped) IPv6 address. */
    public boolean contains(InetAddress address) {
        byte[] bytes = Addresses.canonical(address).getAddress();
        return bytes.length == network.length && Arrays.equals(masked(bytes, prefixLength), network);
    }

    private static byte[] masked(byte[] bytes, int prefix) {
        byte[] result = bytes.clone();
        for (int i = 0; i < result.length; i++) {
            int keep = Math.clamp(prefix - i * 8L, 0, 8);
            result[i] &= (byte) (0xff << (8 - keep));
        }
        return result;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AddressBlock block && block.prefixLength == prefixLength
                && Arrays.equals(block.network, network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefixLength;
    }

    @Override
    public String toString() {
        return text;
    }
}
