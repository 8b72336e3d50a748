package org.reseq.deploy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ports for the services a test starts, taken below the kernel's ephemeral range (32768 and up
 * by default). A port that {@code new ServerSocket(0)} finds free is an ephemeral one, which any
 * outgoing connection on the machine (a JDBC pool, a Redis client, another test) may take as its
 * local port before the service binds it; then the service fails to start with "port already in
 * use". Below the range, only a listener can take it.
 *
 * <p>Thread-safe: candidates are handed out from one counter, each at most once per run.
 */
final class ServicePorts {

    private static final int FIRST = 20_000;
    private static final int LAST = 32_000;
    /** Spreads concurrent test JVMs over the range, so that they rarely try the same ports. */
    private static final AtomicInteger NEXT = new AtomicInteger(
            FIRST + (int) (ProcessHandle.current().pid() * 97 % (LAST - FIRST)));

    private ServicePorts() {
    }

    /** A free port for each service's first instance. */
    static Map<ServiceKind, Integer> forEachService() {
        Map<ServiceKind, Integer> ports = new EnumMap<>(ServiceKind.class);
        for (ServiceKind kind : ServiceKind.values()) {
            ports.put(kind, free());
        }
        return ports;
    }

    /** A port p such that p and p + 10 (a second replica's) are free, for each service. */
    static Map<ServiceKind, Integer> pairsForEachService() {
        Map<ServiceKind, Integer> ports = new EnumMap<>(ServiceKind.class);
        for (ServiceKind kind : ServiceKind.values()) {
            ports.put(kind, freePair());
        }
        return ports;
    }

    static int free() {
        while (true) {
            int port = candidate();
            if (bindable(port)) {
                return port;
            }
        }
    }

    static int freePair() {
        while (true) {
            int port = candidate();
            if (bindable(port) && bindable(port + 10)) {
                return port;
            }
        }
    }

    private static int candidate() {
        return NEXT.getAndUpdate(port -> port >= LAST - 11 ? FIRST : port + 1);
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException taken) {
            return false;
        }
    }
}
