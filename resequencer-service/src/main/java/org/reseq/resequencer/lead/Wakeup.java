package org.reseq.resequencer.lead;

import org.reseq.model.redis.Signal;

/**
 * A signal for a destination's leader, tagged with the channel it came on.
 *
 * @param kind what the signal announces
 * @param signal the decoded signal
 */
public record Wakeup(Kind kind, Signal signal) {

    /** The channels a leader listens to. */
    public enum Kind {
        /** Ingress committed deliveries up to the signal's number (the last sequence). */
        INGESTED,
        /** A worker stored the result of the signal's sequence. */
        DONE,
        /** Egress delivered up to the signal's number. */
        DELIVERED,
        /** An operator changed the destination (configuration, pause, a command): poll now. */
        CHANGED
    }

    /** The wake-up for a change of {@code destination} made through the admin API. */
    public static Wakeup changed(String destination) {
        return new Wakeup(Kind.CHANGED, new Signal(destination, 0, true));
    }
}
