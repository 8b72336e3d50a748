package org.reseq.ingress.ingest;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.UUID;

/**
 * Generates UUIDv7 message ids (RFC 9562): 48 bits of Unix milliseconds, then a 12-bit counter
 * (method 1 of section 6.2), then 62 random bits. Ids from one generator strictly increase,
 * also when many are made in one millisecond or the clock steps back: the counter then runs on
 * from the last id, carrying into the timestamp when it overflows.
 *
 * <p>Thread-safe: {@link #next()} is synchronized; it is cheap next to a commit.
 */
public final class MessageIds {

    private static final int COUNTER_BITS = 12;
    private static final int COUNTER_MAX = (1 << COUNTER_BITS) - 1;

    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private long lastMillis = -1;
    private int counter;

    public MessageIds(Clock clock) {
        this.clock = clock;
    }

    public synchronized UUID next() {
        long now = clock.millis();
        if (now > lastMillis) {
            lastMillis = now;
            // Start low in the range, so a burst within this millisecond rarely overflows.
            counter = random.nextInt(1 << (COUNTER_BITS - 1));
        } else if (++counter > COUNTER_MAX) {
            lastMillis++;
            counter = 0;
        }
        long mostSignificant = (lastMillis << 16) | 0x7000L | counter;
        long leastSignificant = (random.nextLong() >>> 2) | 0x8000_0000_0000_0000L;
        return new UUID(mostSignificant, leastSignificant);
    }

    /** The Unix milliseconds in a UUIDv7. */
    public static long millisOf(UUID id) {
        return id.getMostSignificantBits() >>> 16;
    }
}
