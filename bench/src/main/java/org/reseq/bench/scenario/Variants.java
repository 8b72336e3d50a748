package org.reseq.bench.scenario;

import java.util.Locale;

/** The names of variants, as the report shows them. */
public final class Variants {

    private Variants() {
    }

    static String destinations(int n) {
        return n == 1 ? "1 destination" : String.format(Locale.ROOT, "%,d destinations", n);
    }

    public static String rate(double perSecond) {
        return perSecond == Math.rint(perSecond) ? String.format(Locale.ROOT, "%d/s", (long) perSecond)
                : String.format(Locale.ROOT, "%.1f/s", perSecond);
    }

    static String mib(Long bytes) {
        return bytes == null ? "-" : String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }
}
