package org.reseq.model.guard;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * What an allow or deny list names: CIDR blocks (and lone addresses), matched against every
 * address a destination's host resolves to, and host patterns, matched against the host as the
 * destination names it. Immutable.
 *
 * @param blocks the address blocks
 * @param hosts the host patterns
 */
public record AddressList(List<AddressBlock> blocks, List<HostPattern> hosts) {

    public static final AddressList EMPTY = new AddressList(List.of(), List.of());

    public AddressList {
        blocks = List.copyOf(blocks);
        hosts = List.copyOf(hosts);
    }

    /**
     * Reads each entry as an address block when it is an IP literal or CIDR, else as a host pattern.
     *
     * @param property the list's property name, for the error
     * @throws IllegalArgumentException naming the first entry that is neither
     */
    public static AddressList parse(String property, List<String> entries) {
        List<AddressBlock> blocks = new ArrayList<>();
        List<HostPattern> hosts = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            String entry = entries.get(i) == null ? "" : entries.get(i).strip();
            try {
                if (entry.indexOf('/') >= 0 || Addresses.literal(entry).isPresent()) {
                    blocks.add(AddressBlock.parse(entry));
                } else {
                    hosts.add(HostPattern.parse(entry));
                }
            } catch (IllegalArgumentException e) {
                // No cause: the start-up report shows the root cause, which must name the entry.
                throw new IllegalArgumentException(property + "[" + i + "]: " + e.getMessage());
            }
        }
        return new AddressList(blocks, hosts);
    }

    /** Whether the list names {@code host} or a block holding {@code address}. */
    public boolean matches(String host, InetAddress address) {
        return blocks.stream().anyMatch(block -> block.contains(address))
                || hosts.stream().anyMatch(pattern -> pattern.matches(host));
    }
}
