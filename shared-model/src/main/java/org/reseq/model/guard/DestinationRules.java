package org.reseq.model.guard;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Decides whether a destination may connect to one address and port. Refused, in this order:
 * <ol>
 *   <li>unspecified addresses ({@code 0.0.0.0/8}, {@code ::}), which reach this machine;</li>
 *   <li>the suite's own PostgreSQL and Redis ({@link SuiteStores}), whatever the lists say;</li>
 *   <li>link-local and cloud metadata addresses ({@code 169.254.0.0/16}, {@code fe80::/10},
 *       {@code fd00:ec2::254}), whatever the lists say;</li>
 *   <li>what the deny list names: deny wins over allow (a host pattern refuses a name before any
 *       lookup, {@link #judgeName});</li>
 *   <li>loopback ({@code 127.0.0.0/8}, {@code ::1}) while security is enabled, unless the allow
 *       list names it.</li>
 * </ol>
 * Everything else is allowed. The allow list only opens what is refused by default (loopback);
 * it is not a list of the only places allowed.
 *
 * <p>Pure and immutable: no I/O, so one instance serves every thread.
 */
public final class DestinationRules {

    static final String UNSPECIFIED = "an unspecified address";
    static final String LINK_LOCAL = "a link-local or cloud metadata address";
    static final String DENIED = "denied by reseq.security.destinations.deny";
    static final String LOOPBACK = "a loopback address, refused while reseq.security.enabled is true unless "
            + "reseq.security.destinations.allow names it";

    private static final List<AddressBlock> UNSPECIFIED_BLOCKS = blocks("0.0.0.0/8", "::/128");
    private static final List<AddressBlock> LINK_LOCAL_BLOCKS = blocks("169.254.0.0/16", "fe80::/10",
            "fd00:ec2::254/128");

    private final boolean securityEnabled;
    private final AddressList allow;
    private final AddressList deny;
    private final SuiteStores stores;

    /**
     * @param securityEnabled {@code reseq.security.enabled}: loopback is refused unless allowed
     * @param allow {@code reseq.security.destinations.allow}
     * @param deny {@code reseq.security.destinations.deny}
     * @param stores the suite's own stores
     */
    public DestinationRules(boolean securityEnabled, AddressList allow, AddressList deny, SuiteStores stores) {
        this.securityEnabled = securityEnabled;
        this.allow = allow;
        this.deny = deny;
        this.stores = stores;
    }

    /**
     * @param host the host as the destination names it (a name or an IP literal), for host patterns
     * @param address one address {@code host} resolved to
     * @param port the port to connect to
     */
    public Verdict judge(String host, InetAddress address, int port) {
        InetAddress canonical = Addresses.canonical(address);
        if (in(UNSPECIFIED_BLOCKS, canonical)) {
            return Verdict.refused(UNSPECIFIED);
        }
        Optional<String> store = stores.at(canonical, port);
        if (store.isPresent()) {
            return Verdict.refused("the suite's own " + store.get());
        }
        if (in(LINK_LOCAL_BLOCKS, canonical)) {
            return Verdict.refused(LINK_LOCAL);
        }
        if (deny.matches(host, canonical)) {
            return Verdict.refused(DENIED);
        }
        if (canonical.isLoopbackAddress() && securityEnabled && !allow.matches(host, canonical)) {
            return Verdict.refused(LOOPBACK);
        }
        return Verdict.ALLOWED;
    }

    /**
     * What can be said of {@code host} by its name alone, before any lookup: refused when a deny
     * pattern names it, so that a denied name is refused even while it does not resolve.
     */
    public Verdict judgeName(String host) {
        return deny.hosts().stream().anyMatch(pattern -> pattern.matches(host)) ? Verdict.refused(DENIED)
                : Verdict.ALLOWED;
    }

    private static boolean in(List<AddressBlock> blocks, InetAddress address) {
        return blocks.stream().anyMatch(block -> block.contains(address));
    }

    private static List<AddressBlock> blocks(String... cidrs) {
        return Arrays.stream(cidrs).map(AddressBlock::parse).toList();
    }
}
