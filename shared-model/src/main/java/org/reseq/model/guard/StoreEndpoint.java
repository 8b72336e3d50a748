package org.reseq.model.guard;

/**
 * Where a service reaches one of the suite's own stores, as its configuration says.
 *
 * @param store what it is, as a refusal names it ({@code PostgreSQL}, {@code Redis})
 * @param host its host name or address
 * @param port its port
 */
public record StoreEndpoint(String store, String host, int port) {
}
