package org.reseq.deploy;

/** The four services of the suite, with their module names and default ports. */
public enum ServiceKind {
    INGRESS("ingress-service", 8080),
    TRANSFORM_WORKER("transform-worker", 8081),
    RESEQUENCER("resequencer-service", 8082),
    EGRESS("egress-service", 8083);

    private final String module;
    private final int defaultPort;

    ServiceKind(String module, int defaultPort) {
        this.module = module;
        this.defaultPort = defaultPort;
    }

    public String module() {
        return module;
    }

    public int defaultPort() {
        return defaultPort;
    }
}
