package org.reseq.egress.leader;

import java.time.Duration;
import org.reseq.egress.delivery.DeliveryStoppedException;
import org.reseq.egress.delivery.RetryGuard;
import org.reseq.model.destination.DestinationConfig;
import org.reseq.model.lease.Lease;
import org.reseq.model.redis.Incarnation;

/**
 * The {@link RetryGuard}s a leader hands its delivery channel. After every failed attempt they
 * store what was accepted so far (the destination may stay down for long) and let the retries go
 * on only while the lease holds, the leader is not stopping and the destination is unchanged and
 * not paused. Right before an attempt's bytes go out they check the lease's term, so a leader
 * whose term ended sends nothing, however long it was paused before the send. A backoff ends at
 * once when the leader is asked to stop.
 *
 * <p>Not thread-safe: owned by the leader's thread, for one lease; the channel calls the guards
 * back synchronously on that thread.
 */
final class RetryGuards {

    private final String destination;
    private final Lease lease;
    private final StopSignal stop;
    private final DeliveredCursor cursor;
    private final CurrentDestination current;
    private final Redeliveries redeliveries;
    private final Duration pollInterval;
    /** Set when the retries of the message in line stopped so that waiting redeliveries go first. */
    private boolean yieldedToRedeliveries;

    RetryGuards(String destination, Lease lease, LeaderContext context, StopSignal stop, DeliveredCursor cursor,
                CurrentDestination current) {
        this.destination = destination;
        this.lease = lease;
        this.stop = stop;
        this.cursor = cursor;
        this.current = current;
        this.redeliveries = context.redeliveries();
        this.pollInterval = context.pollInterval();
    }

    /** The guard of an operator's redelivery, begun with the destination's configuration {@code used}. */
    RetryGuard forRedelivery(DestinationConfig used) {
        return guarded(() -> keepTrying(used));
    }

    /**
     * The guard of the message in line: it also stops the retries when an operator asked for a
     * redelivery, so that a destination held at a failing message (down, or blocked at a
     * permanent rejection) still carries redeliveries out. The message stays next in line and is
     * tried again right after them.
     */
    RetryGuard inOrder(DestinationConfig used) {
        return guarded(() -> keepTryingInOrder(used));
    }

    /** Whether the retries of the message in line stopped for waiting redeliveries. */
    boolean yieldedToRedeliveries() {
        return yieldedToRedeliveries;
    }

    /** {@link #yieldedToRedeliveries()}, forgotten from now on: the redeliveries are carried out next. */
    boolean takeYielded() {
        boolean yielded = yieldedToRedeliveries;
        yieldedToRedeliveries = false;
        return yielded;
    }

    private boolean keepTrying(DestinationConfig used) throws Exception {
        lease.ensureValid(); // LeaseLostException ends the retries and the leader
        if (stop.requested()) {
            return false;
        }
        cursor.flush();
        return current.refreshIfOlderThan(pollInterval) && current.stillDeliversWith(used);
    }

    private boolean keepTryingInOrder(DestinationConfig used) throws Exception {
        if (!keepTrying(used)) {
            return false;
        }
        if (redeliveries.pending(Incarnation.of(lease))) {
            yieldedToRedeliveries = true;
            return false;
        }
        return true;
    }

    private RetryGuard guarded(RetryGuard keepTrying) {
        return new RetryGuard() {
            @Override
            public boolean keepTrying() throws Exception {
                return keepTrying.keepTrying();
            }

            @Override
            public void beforeSend() {
                lease.ensureValid();
            }

            @Override
            public void backOff(Duration delay) throws InterruptedException, DeliveryStoppedException {
                if (stop.awaitFor(delay)) {
                    throw DeliveryStoppedException.stoppedByGuard("the leader is stopping");
                }
            }
        };
    }
}
