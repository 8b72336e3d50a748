package org.reseq.model.guard;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The addresses and ports of the suite's own PostgreSQL and Redis, which no destination may
 * reach whatever the allow list says: a TCP {@code LINE} destination at Redis would have every
 * payload run as a Redis command.
 *
 * <p>A store on this machine (its host resolves to a loopback, wildcard or own address) may
 * listen on every address the machine has, so its port is protected at every loopback address
 * and every address of this machine, not only at the one the service connects to.
 *
 * <p>Resolved once, when the service starts, like the services' own connections; immutable.
 */
public final class SuiteStores {

    /** No stores: for tests of what does not concern them. */
    public static final SuiteStores NONE = new SuiteStores(List.of(), Map.of(), Set.of(), List.of());

    private record Address(String store, InetAddress address, int port) {
    }

    private final List<Address> addresses;
    /** Store by port, for the stores on this machine. */
    private final Map<Integer, String> localPorts;
    private final Set<InetAddress> ownAddresses;
    private final List<StoreEndpoint> unresolved;

    private SuiteStores(List<Address> addresses, Map<Integer, String> localPorts, Set<InetAddress> ownAddresses,
                        List<StoreEndpoint> unresolved) {
        this.addresses = List.copyOf(addresses);
        this.localPorts = Map.copyOf(localPorts);
        this.ownAddresses = Set.copyOf(ownAddresses);
        this.unresolved = List.copyOf(unresolved);
    }

    /**
     * Resolves each store's host.
     *
     * @param ownAddresses the addresses of this machine's network interfaces
     */
    public static SuiteStores resolve(List<StoreEndpoint> endpoints, AddressResolver resolver,
                                      Collection<InetAddress> ownAddresses) {
        Set<InetAddress> own = new HashSet<>();
        ownAddresses.forEach(address -> own.add(Addresses.canonical(address)));
        List<Address> addresses = new ArrayList<>();
        Map<Integer, String> localPorts = new HashMap<>();
        List<StoreEndpoint> unresolved = new ArrayList<>();
        for (StoreEndpoint endpoint : endpoints) {
            InetAddress[] resolved;
            try {
                resolved = resolver.resolve(Addresses.unbracketed(endpoint.host()));
            } catch (UnknownHostException e) {
                unresolved.add(endpoint);
                continue;
            }
            for (InetAddress address : resolved) {
                InetAddress canonical = Addresses.canonical(address);
                addresses.add(new Address(endpoint.store(), canonical, endpoint.port()));
                if (local(canonical, own)) {
                    localPorts.putIfAbsent(endpoint.port(), endpoint.store());
                }
            }
        }
        return new SuiteStores(addresses, localPorts, own, unresolved);
    }

    /** The store that listens at {@code address} and {@code port}, if one does. */
    public Optional<String> at(InetAddress address, int port) {
        InetAddress canonical = Addresses.canonical(address);
        for (Address store : addresses) {
            if (store.port() == port && store.address().equals(canonical)) {
                return Optional.of(store.store());
            }
        }
        String local = localPorts.get(port);
        return local != null && local(canonical, ownAddresses) ? Optional.of(local) : Optional.empty();
    }

    /** The stores whose host did not resolve: they are protected by nothing but the other rules. */
    public List<StoreEndpoint> unresolved() {
        return unresolved;
    }

    private static boolean local(InetAddress address, Set<InetAddress> own) {
        return address.isLoopbackAddress() || address.isAnyLocalAddress() || own.contains(address);
    }
}
