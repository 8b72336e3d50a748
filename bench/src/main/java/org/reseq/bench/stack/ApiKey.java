package org.reseq.bench.stack;

/**
 * The API key the benchmark presents to a stack that runs with security on, from the
 * environment variable {@code RESEQ_BENCH_API_KEY}; it needs the roles INGEST, READ and ADMIN.
 * Without it, requests carry no credential, as a stack with security off expects.
 */
public final class ApiKey {

    private static final String VARIABLE = "RESEQ_BENCH_API_KEY";

    private ApiKey() {
    }

    /** The {@code Authorization} header's value, or null when no key is configured. */
    public static String authorization() {
        String key = System.getenv(VARIABLE);
        return key == null || key.isBlank() ? null : "Bearer " + key.strip();
    }
}
