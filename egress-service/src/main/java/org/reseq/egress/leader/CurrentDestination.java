package org.reseq.egress.leader;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.reseq.egress.delivery.DeliveryChannel;
import org.reseq.model.destination.DestinationConfig;
import org.reseq.model.destination.StoredDestination;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A leader's view of its destination: configuration and pause flag, read again from PostgreSQL
 * when the reading is older than the caller allows or was {@linkplain #expire() expired}, and the
 * delivery channel that goes with them.
 *
 * <p>Not thread-safe: owned by one leader's thread.
 */
final class CurrentDestination {

    private static final Logger log = LoggerFactory.getLogger(CurrentDestination.class);

    private final String name;
    private final LeaderContext context;
    /** The destination as last read; null before the first read and once it was deleted. */
    private StoredDestination current;
    private Instant readAt = Instant.MIN;
    private boolean undeliverableLogged;

    CurrentDestination(String name, LeaderContext context) {
        this.name = name;
        this.context = context;
    }

    /**
     * Reads the destination again when the last reading is older than {@code maxAge}.
     *
     * @return false when it no longer exists
     * @throws java.sql.SQLException when PostgreSQL cannot be reached; the last reading stays
     */
    boolean refreshIfOlderThan(Duration maxAge) throws Exception {
        Instant now = context.clock().instant();
        if (current != null && now.isBefore(readAt.plus(maxAge))) {
            return true;
        }
        Optional<StoredDestination> found = context.destinations().find(name);
        readAt = now;
        if (found.isEmpty()) {
            current = null;
            return false;
        }
        StoredDestination next = found.get();
        if (current != null && current.paused() != next.paused()) {
            log.info("{} was {}", name, next.paused() ? "paused" : "resumed");
        }
        if (current != null && !current.config().equals(next.config())) {
            log.info("{} was reconfigured", name);
            undeliverableLogged = false;
            // An open connection may lead to where the destination no longer is.
            context.channels().release(name);
        }
        current = next;
        return true;
    }

    /** Makes the next {@link #refreshIfOlderThan} read the destination, however recent the last reading. */
    void expire() {
        readAt = Instant.MIN;
    }

    /** Whether the destination was read and still existed then. */
    boolean known() {
        return current != null;
    }

    DestinationConfig config() {
        return current.config();
    }

    /** The channel to deliver through now, empty while paused or when the type has none yet. */
    Optional<DeliveryChannel> channel() {
        if (current.paused()) {
            return Optional.empty();
        }
        Optional<DeliveryChannel> channel = context.channels().forType(current.config().type());
        if (channel.isEmpty() && !undeliverableLogged) {
            undeliverableLogged = true;
            log.warn("{} is a {} destination, which egress cannot deliver to yet: its messages wait in order",
                    name, current.config().type());
        }
        return channel;
    }

    /** Whether a delivery begun with {@code used} may go on: not paused, not reconfigured since. */
    boolean stillDeliversWith(DestinationConfig used) {
        return !current.paused() && current.config().equals(used);
    }
}
