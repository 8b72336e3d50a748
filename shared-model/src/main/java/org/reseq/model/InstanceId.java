package org.reseq.model;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * How an instance of any service names itself when {@code reseq.instance-id} is not set: its host
 * name and process id, unique on a host and stable for the process's life. Leases record it as
 * their holder, the worker group as its consumer, logs and metrics as the instance.
 */
public final class InstanceId {

    private InstanceId() {
    }

    /**
     * @param configured the {@code reseq.instance-id} setting, possibly null or blank
     * @return {@code configured} when set, else {@code <host>-<pid>}
     */
    public static String orDefault(String configured) {
        return configured == null || configured.isBlank() ? host() + "-" + ProcessHandle.current().pid() : configured;
    }

    /** In a container HOSTNAME is the pod's name, which the local resolver may not know. */
    private static String host() {
        String host = System.getenv("HOSTNAME");
        if (host != null && !host.isBlank()) {
            return host;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown-host";
        }
    }
}
