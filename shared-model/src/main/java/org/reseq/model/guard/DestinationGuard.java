package org.reseq.model.guard;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Resolves a destination's host and asks the {@link DestinationRules} about its name and about
 * every address it resolves to: once when the admin API saves a destination, and again before
 * every connection, about the very addresses then connected to, so that a name pointed elsewhere
 * after the save gains nothing. A host that resolves to an allowed and a refused address is
 * refused as a whole rather than narrowed to the allowed ones.
 *
 * <p>Texts name the host and port as configured and the kind of address refused, never a
 * resolved address, a URL's user information, path or query.
 *
 * <p>Immutable; resolves on the calling thread.
 */
public final class DestinationGuard {

    private final DestinationRules rules;
    private final AddressResolver resolver;

    public DestinationGuard(DestinationRules rules, AddressResolver resolver) {
        this.rules = rules;
        this.resolver = resolver;
    }

    /**
     * The addresses to connect to for {@code host} and {@code port}, in the resolver's order,
     * every one of them allowed.
     *
     * @throws DestinationRefusedException when an address {@code host} resolves to is refused
     * @throws UnknownHostException when {@code host} does not resolve
     */
    public List<InetSocketAddress> resolve(String host, int port) throws UnknownHostException {
        String bare = Addresses.unbracketed(host);
        Verdict byName = rules.judgeName(bare);
        if (!byName.allowed()) {
            throw new DestinationRefusedException(Addresses.endpoint(bare, port) + " is " + byName.reason());
        }
        InetAddress[] addresses = resolver.resolve(bare);
        if (addresses == null || addresses.length == 0) {
            throw new UnknownHostException(host);
        }
        List<InetSocketAddress> allowed = new ArrayList<>(addresses.length);
        for (InetAddress address : addresses) {
            Verdict verdict = rules.judge(bare, address, port);
            if (!verdict.allowed()) {
                throw new DestinationRefusedException(describe(bare, port, verdict));
            }
            allowed.add(new InetSocketAddress(address, port));
        }
        return allowed;
    }

    /**
     * Why a destination at {@code host} and {@code port} is refused; empty when it is allowed, and
     * when {@code host} does not resolve now (it is judged again when connecting).
     */
    public Optional<String> refusal(String host, int port) {
        try {
            resolve(host, port);
            return Optional.empty();
        } catch (DestinationRefusedException e) {
            return Optional.of(e.getMessage());
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** {@link #refusal(String, int)} for an absolute http or https URL; empty for any other. */
    public Optional<String> refusal(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (url.getHost() == null || !(scheme.equals("http") || scheme.equals("https"))) {
            return Optional.empty();
        }
        int port = url.getPort() >= 0 ? url.getPort() : scheme.equals("https") ? 443 : 80;
        return refusal(url.getHost(), port);
    }

    private static String describe(String host, int port, Verdict verdict) {
        String verb = Addresses.literal(host).isPresent() ? " is " : " resolves to ";
        return Addresses.endpoint(host, port) + verb + verdict.reason();
    }
}
