package org.reseq.bench.cleanup;

import java.util.SplittableRandom;
import java.util.UUID;

/**
 * UUIDv7 ids like reseq's ingress makes (48 bits of Unix milliseconds, a 12-bit counter, random
 * bits): message ids in the benchmark are time ordered as in reseq, which is what lets the batched
 * cleaner walk the primary key from its low end.
 *
 * <p>Not thread-safe: owned by the writer thread.
 */
final class TimeOrderedIds {

    private final SplittableRandom random = new SplittableRandom(7);
    private long lastMillis = -1;
    private int counter;

    UUID next(long millis) {
        if (millis > lastMillis) {
            lastMillis = millis;
            counter = random.nextInt(1 << 11);
        } else if (++counter > 0xFFF) {
            lastMillis++;
            counter = 0;
        }
        return new UUID((lastMillis << 16) | 0x7000L | counter, (random.nextLong() >>> 2) | 0x8000_0000_0000_0000L);
    }
}
