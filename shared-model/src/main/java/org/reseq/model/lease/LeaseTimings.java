package org.reseq.model.lease;

import java.time.Duration;

/**
 * How leases stay alive, the same for every destination of a deployment.
 *
 * <p>A holder renews every {@code renewInterval} (one heartbeat through PostgreSQL for all of an
 * instance's leases of a role). Another instance takes a lease over once its holder has not
 * renewed for {@code timeout}, judged by PostgreSQL's clock alone. The holder itself acts only
 * until {@code timeout - margin} after it sent its last successful renewal, by its own monotonic
 * clock: it has stopped before anybody may take over, whatever the two machines' wall clocks
 * say. The margin covers what is already under way when the deadline is checked (a delivery
 * request on the wire) and any difference in clock rates.
 *
 * @param renewInterval how often a holder renews
 * @param timeout how long a holder may stay silent before its leases are taken over; a pause
 *        longer than {@code timeout - margin} (a GC pause, a frozen VM) costs the holder its leases
 */
public record LeaseTimings(Duration renewInterval, Duration timeout) {

    /** The shortest margin between a holder's own deadline and the moment others may take over. */
    static final Duration MIN_MARGIN = Duration.ofMillis(200);

    public LeaseTimings {
        if (renewInterval == null || renewInterval.isNegative() || renewInterval.isZero()) {
            throw new IllegalArgumentException("reseq.leases.renew-interval must be positive: " + renewInterval);
        }
        if (timeout == null || timeout.compareTo(renewInterval.multipliedBy(3)) < 0) {
            throw new IllegalArgumentException("reseq.leases.timeout (" + timeout + ") must be at least three times"
                    + " reseq.leases.renew-interval (" + renewInterval + "), so that one late or lost renewal never"
                    + " costs a holder its leases");
        }
    }

    /** Renewal every second, take-over after 10 s of silence. */
    public static LeaseTimings defaults() {
        return new LeaseTimings(Duration.ofSeconds(1), Duration.ofSeconds(10));
    }

    /**
     * How much sooner than the others a holder gives up: a fifth of the timeout (2 s of the
     * default 10 s), at least {@link #MIN_MARGIN}, and never so much that a renewal could not
     * keep the lease (at most the timeout less two renewal intervals).
     */
    public Duration margin() {
        Duration fifth = timeout.dividedBy(5);
        Duration most = timeout.minus(renewInterval.multipliedBy(2));
        Duration margin = fifth.compareTo(MIN_MARGIN) < 0 ? MIN_MARGIN : fifth;
        return margin.compareTo(most) > 0 ? most : margin;
    }

    /** How long after sending a successful renewal the holder may still act. */
    public Duration validity() {
        return timeout.minus(margin());
    }
}
