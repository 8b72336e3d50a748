package org.reseq.model.guard;

import java.net.UnknownHostException;

/**
 * A destination's host resolved to an address the {@link DestinationRules} refuse; nothing was
 * connected. A permanent failure: another attempt resolves to the same kind of address.
 *
 * <p>An {@link UnknownHostException} only because a resolver may throw nothing else (Apache
 * HttpClient's {@code DnsResolver}), so the refusal leaves the client as any failed lookup
 * does, with no connection opened. Catch it before {@code UnknownHostException}: it is not a
 * host that does not resolve.
 */
public final class DestinationRefusedException extends UnknownHostException {

    DestinationRefusedException(String description) {
        super("refused by the destination guard: " + description);
    }
}
