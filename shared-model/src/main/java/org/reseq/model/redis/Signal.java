package org.reseq.model.redis;

/**
 * A wake-up hint published on a pub/sub channel: {@code <destination>:<number>[:<status>]}.
 * Signals may be lost (pub/sub is at most once); every receiver also polls, so a lost signal
 * costs latency, never correctness.
 *
 * @param destination the destination it is about
 * @param number a sequence or cursor position, depending on the channel
 * @param ok for {@code done} signals, whether the transform succeeded; true otherwise
 */
public record Signal(String destination, long number, boolean ok) {

    /** Ingress committed deliveries up to {@code lastSequence}. */
    public static Signal ingested(String destination, long lastSequence) {
        return new Signal(destination, lastSequence, true);
    }

    /** A worker stored the result of {@code sequence}. */
    public static Signal done(String destination, long sequence, boolean ok) {
        return new Signal(destination, sequence, ok);
    }

    /** The resequencer released up to {@code releasedSequence}. */
    public static Signal released(String destination, long releasedSequence) {
        return new Signal(destination, releasedSequence, true);
    }

    /** Egress delivered up to {@code deliveredSequence}. */
    public static Signal delivered(String destination, long deliveredSequence) {
        return new Signal(destination, deliveredSequence, true);
    }

    public String encode() {
        return destination + ":" + number + (ok ? "" : ":FAILED");
    }

    /** Parses {@link #encode()}'s output; throws {@link IllegalArgumentException} on anything else. */
    public static Signal decode(String text) {
        String[] parts = text.split(":");
        if (parts.length < 2 || parts.length > 3) {
            throw new IllegalArgumentException("Not a signal: " + text);
        }
        try {
            return new Signal(parts[0], Long.parseLong(parts[1]), parts.length == 2);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Not a signal: " + text, e);
        }
    }
}
