package org.reseq.deploy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

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
 * @param javaOptions JVM options for every service
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
        List<String> javaOptions) {

    /** Conservative JVM options: several services share a small machine. */
    public static final List<String> DEFAULT_JAVA_OPTIONS =
            List.of("-Xms64m", "-Xmx512m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError");
}
