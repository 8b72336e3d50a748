package org.reseq.model.http;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;
import org.reseq.model.guard.DestinationGuard;
import org.reseq.model.guard.DestinationRefusedException;

/**
 * The resolver of {@link BlockingHttp}'s clients: every host they connect to is resolved by the
 * {@link DestinationGuard}, which refuses it ({@link DestinationRefusedException}) when any of
 * its addresses is refused for the port.
 *
 * <p>Why here: since HttpClient 5.5 the classic connection operator asks
 * {@link #resolve(String, int)} once per connection and connects to exactly the addresses it
 * returns, trying them in order; no second lookup happens between the check and the connect. The
 * only way around it would be a request to an {@code HttpHost} built with an address, which the
 * services never make (they give the client URIs). Without a port nothing can be judged (a
 * store is an address and a port), so {@link #resolve(String)} refuses outright: a client path
 * that asked it would fail closed rather than connect unchecked.
 *
 * <p>Stateless apart from the guard; safe on any thread.
 */
final class GuardedDnsResolver implements DnsResolver {

    private final DestinationGuard guard;

    GuardedDnsResolver(DestinationGuard guard) {
        this.guard = guard;
    }

    @Override
    public List<InetSocketAddress> resolve(String host, int port) throws UnknownHostException {
        return guard.resolve(host, port);
    }

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        throw new UnknownHostException(host + ": not resolved without a port, which the destination guard"
                + " needs to judge it");
    }

    @Override
    public String resolveCanonicalHostname(String host) throws UnknownHostException {
        // Only authentication schemes ask this; it opens no connection.
        return SystemDefaultDnsResolver.INSTANCE.resolveCanonicalHostname(host);
    }
}
