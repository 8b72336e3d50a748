package org.reseq.bench.stack;

/**
 * Names each run {@code b<base36 milliseconds>}, strictly increasing within the JVM, so that no
 * run ever meets an earlier run's destinations, sequences or idempotency keys.
 */
public final class RunNames {

    private static long last;

    private RunNames() {
    }

    public static synchronized String next() {
        last = Math.max(last + 1, System.currentTimeMillis());
        return "b" + Long.toString(last, 36);
    }
}
