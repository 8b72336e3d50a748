package org.reseq.infra;

/** Where a PostgreSQL or Redis server used by tests or the local stack comes from. */
public enum Source {
    /** A server that was already running at the configured address. */
    REACHABLE,
    /** A container started through Testcontainers (needs a Docker engine). */
    TESTCONTAINERS,
    /** A server started in-process from binaries shipped in a Maven artifact. */
    EMBEDDED,
    /** A server one test started for itself from the machine's binaries, and may stop and start. */
    PRIVATE
}
