package org.reseq.model.guard;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Turns a host name (or an IP literal) into its addresses; the system's resolver unless a test needs another. */
@FunctionalInterface
public interface AddressResolver {

    /** The JVM's resolver: the operating system's, behind the JVM's own cache. */
    AddressResolver SYSTEM = InetAddress::getAllByName;

    /**
     * Every address of {@code host}, never empty.
     *
     * @throws UnknownHostException when it has none
     */
    InetAddress[] resolve(String host) throws UnknownHostException;
}
