package org.reseq.deploy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * How to run the suite's processes.
 *
 * @param home the repository root (where each module's {@code target/*-exec.jar} is)
 * @param jdbcUrl PostgreSQL for every service
 * @param databaseUser its user
 * @param databasePassword its password (may be empty)
 * @param redisUrl Redis for every service
 * @param keyPrefix the Redis key prefix every service uses
 * @param replicas instances per service; replica k listens on its base port + 10 * k
 * @param basePorts the first instance's port per service
 * @param logDirectory where each process writes its log
 * @param properties extra Spring properties for every service, as environment variables
 * @param javaOptions JVM options per service kind; {@link #defaultJavaOptions} unless configured
 * @param hosts where each instance (service kind, replica) runs; {@link Host#LOCAL} unless configured
 */
public record SuiteSettings(
        Path home,
        String jdbcUrl,
        String databaseUser,
        String databasePassword,
        String redisUrl,
        String keyPrefix,
        int replicas,
        Map<ServiceKind, Integer> basePorts,
        Path logDirectory,
        Map<String, String> properties,
        Function<ServiceKind, List<String>> javaOptions,
        BiFunction<ServiceKind, Integer, Host> hosts) {

    /** Settings with every instance on this host. */
    public SuiteSettings(Path home, String jdbcUrl, String databaseUser, String databasePassword, String redisUrl,
                         String keyPrefix, int replicas, Map<ServiceKind, Integer> basePorts, Path logDirectory,
                         Map<String, String> properties, Function<ServiceKind, List<String>> javaOptions) {
        this(home, jdbcUrl, databaseUser, databasePassword, redisUrl, keyPrefix, replicas, basePorts, logDirectory,
                properties, javaOptions, (kind, replica) -> Host.LOCAL);
    }

    /** These settings with instances placed by {@code hosts}, for example one on a test host. */
    public SuiteSettings withHosts(BiFunction<ServiceKind, Integer, Host> hosts) {
        return new SuiteSettings(home, jdbcUrl, databaseUser, databasePassword, redisUrl, keyPrefix, replicas,
                basePorts, logDirectory, properties, javaOptions, hosts);
    }

    /**
     * Where an instance runs: the command its {@code java} command line is handed to (empty to run
     * it here; {@code ip netns exec NS} runs it on a test host, a network namespace), and the
     * address this host reaches it at.
     */
    public record Host(List<String> commandPrefix, String address) {

        /** This host, reached at 127.0.0.1. */
        public static final Host LOCAL = new Host(List.of(), "127.0.0.1");

        public Host {
            commandPrefix = List.copyOf(commandPrefix);
        }
    }

    /**
     * Conservative JVM options, as several services share a small machine: a small heap, and for
     * each service the collector that suits what it does between two collections (ADR 10, ADR 12).
     *
     * <p>Ingress gets the serial collector, the cheapest in CPU: what it allocates for a message is
     * garbage within milliseconds, and its pauses delay acknowledgements, not deliveries. The
     * services on the delivery path get ZGC, which collects concurrently. The transform worker
     * holds every running transform (hundreds, each for up to a second) across collections, which
     * a stop-the-world collector copies at every young collection and promotes until a full
     * collection stalls every transform for hundreds of milliseconds. The resequencer and egress
     * leaders pass each finished message on at once, so that any pause of theirs, even a short
     * young collection, delays every message that becomes deliverable meanwhile.
     */
    public static List<String> defaultJavaOptions(ServiceKind kind) {
        String collector = kind == ServiceKind.INGRESS ? "-XX:+UseSerialGC" : "-XX:+UseZGC";
        return List.of("-Xms64m", "-Xmx512m", collector, "-XX:+ExitOnOutOfMemoryError");
    }
}
