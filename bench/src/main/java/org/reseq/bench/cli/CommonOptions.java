package org.reseq.bench.cli;

import java.net.URI;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options every scenario takes: where the stack is, where the sink listens, which peers run. */
public final class CommonOptions {

    @Option(order = 20, names = "--ingress", defaultValue = "http://127.0.0.1:8080", paramLabel = "URL",
            description = "reseq's ingress-service, for the public and the admin API (default: ${DEFAULT-VALUE}).")
    URI ingress;

    @Option(order = 21, names = "--redis", defaultValue = "redis://127.0.0.1:6379", paramLabel = "URL",
            description = "The stack's Redis; only read for INFO memory (default: ${DEFAULT-VALUE}).")
    String redis;

    @Option(order = 22, names = "--sink-host", defaultValue = "127.0.0.1", paramLabel = "HOST",
            description = "Address of the benchmark's sink and transform server; the stack's egress and "
                    + "workers must reach it there (default: ${DEFAULT-VALUE}).")
    String sinkHost;

    @Option(order = 23, names = "--sink-port", defaultValue = "0", paramLabel = "PORT",
            description = "Port of the sink, 0 for any free one (default: ${DEFAULT-VALUE}).")
    int sinkPort;

    @Option(order = 24, names = "--peers", defaultValue = "all", paramLabel = "LIST",
            description = "Peers to run on the same workloads: all, none, or a comma list of camel-stream, "
                    + "si-simple, si-jdbc, sequential (default: ${DEFAULT-VALUE}).")
    String peers;

    @Option(order = 25, names = "--seed", defaultValue = "1", paramLabel = "N",
            description = "Seed of the transform times; the same seed gives every system the same work "
                    + "(default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(order = 26, names = "--stall-seconds", defaultValue = "60", paramLabel = "S",
            description = "A run ends when nothing was acknowledged or delivered for this long; what is still "
                    + "missing then counts as lost (default: ${DEFAULT-VALUE}).")
    int stallSeconds;

    @Option(order = 26, names = "--warmup-seconds", defaultValue = "20", paramLabel = "S",
            description = "Unreported runs of reseq and of each peer before the measured ones, so that they "
                    + "measure warm JVMs; 0 skips them (default: ${DEFAULT-VALUE}).")
    int warmupSeconds;

    @Option(order = 27, names = "--peer-jdbc-url", defaultValue = "jdbc:postgresql://127.0.0.1:5432/postgres", paramLabel = "URL",
            description = "PostgreSQL for the si-jdbc peer, which creates its own database there "
                    + "(default: ${DEFAULT-VALUE}).")
    String peerJdbcUrl;

    @Option(order = 28, names = "--peer-jdbc-user", defaultValue = "postgres", paramLabel = "USER",
            description = "User for --peer-jdbc-url (default: ${DEFAULT-VALUE}).")
    String peerJdbcUser;

    @Option(order = 29, names = "--peer-jdbc-password", defaultValue = "", paramLabel = "PASSWORD",
            description = "Password for --peer-jdbc-url (default: none).")
    String peerJdbcPassword;

    @Option(order = 30, names = "--peer-max-seconds", defaultValue = "120", paramLabel = "S",
            description = "A peer stops taking new arrivals after this long and drains for at most 30 s more; "
                    + "its figures then cover what it took (default: ${DEFAULT-VALUE}).")
    int peerMaxSeconds;

    @Option(order = 32, names = "--delivery-batch", defaultValue = "0", paramLabel = "N",
            description = "Gives reseq's destinations batched delivery of at most N messages per request; 0 delivers"
                    + " one per request. The peers are unchanged (default: ${DEFAULT-VALUE}).")
    int deliveryBatch;

    @Option(order = 31, names = "--timeline-dir", paramLabel = "DIR",
            description = "Writes every reseq run's per-message timeline (arrived, ready, deliverable, delivered,"
                    + " overhead) there, one CSV file per destination (default: none).")
    Path timelineDir;
}
