package org.reseq.egress.leader;

import java.util.Optional;
import org.reseq.egress.delivery.DeliveryChannel;
import org.reseq.model.destination.DestinationConfig;
import org.reseq.model.lease.Lease;
import org.reseq.model.redis.Incarnation;

/**
 * One round of a leader's work for its lease: store what an earlier round could not, read on,
 * deliver what is next in line ({@link InOrderDelivery}), look for a gap worth a rewind
 * ({@link GapRewinder}), then carry out the operators' redeliveries ({@link OperatorRedeliveries}).
 * The redeliveries come after the ordered deliveries so that looking for them never delays the
 * next message; a waiting command also ends the retries of a failing message in line, which is
 * tried again right after the redeliveries.
 *
 * <p>Not thread-safe: owned by the leader's thread, for one lease.
 */
final class DeliveryRound {

    private final Lease lease;
    private final LeaderContext context;
    private final CurrentDestination current;
    private final OrderedReader reader;
    private final DeliveredCursor cursor;
    private final RetryGuards guards;
    private final InOrderDelivery inOrder;
    private final GapRewinder rewinder;
    private final OperatorRedeliveries redeliveries;
    /** Whether this lease's epoch is in the egress fence yet (see {@link Redeliveries#claim}). */
    private boolean fenceClaimed;

    DeliveryRound(String destination, Lease lease, LeaderContext context, CurrentDestination current,
                  OrderedReader reader, DeliveredCursor cursor, StopSignal stop) {
        this.lease = lease;
        this.context = context;
        this.current = current;
        this.reader = reader;
        this.cursor = cursor;
        this.guards = new RetryGuards(destination, lease, context, stop, cursor, current);
        BlockedHead blockedHead = new BlockedHead(Incarnation.of(lease), context.heldHeads());
        this.inOrder = new InOrderDelivery(destination, lease, context, reader, cursor, guards,
                new StoppedDeliveryOutcome(destination, lease, context, stop, guards, blockedHead), blockedHead);
        this.rewinder = new GapRewinder(destination, context, reader);
        this.redeliveries = new OperatorRedeliveries(Incarnation.of(lease), context, blockedHead);
    }

    /**
     * Runs the round; the destination was read just before.
     *
     * @return true when more may be deliverable right now
     * @throws org.reseq.model.lease.LeaseLostException when the lease's term ended or another holder took it
     */
    boolean run() throws Exception {
        lease.ensureValid(); // woken after its deadline (a pause, PostgreSQL out of reach): act no more
        if (!fenceClaimed) {
            context.redeliveries().claim(lease);
            fenceClaimed = true;
        }
        // A cursor write that failed is due again at once: nothing more goes out before it is stored.
        cursor.flushIfDue();
        Optional<DeliveryChannel> channel = current.channel();
        if (channel.isEmpty()) {
            rewinder.reset();
            return false;
        }
        DestinationConfig config = current.config();
        boolean moreInStream = reader.read(cursor.delivered(), config.maxBatch());
        long before = cursor.delivered();
        boolean stopped = !inOrder.deliverNext(channel.get(), config);
        cursor.flushIfDue();
        if (stopped || cursor.delivered() > before) {
            rewinder.reset();
        } else {
            rewinder.nothingDelivered(cursor.committed());
        }
        boolean yielded = guards.takeYielded();
        if (!redeliveries.run(lease, channel.get(), config, guards.forRedelivery(config))) {
            rewinder.reset();
            return false;
        }
        if (stopped) {
            // Yielded to an operator's redelivery, carried out just now: go round again at once.
            return yielded;
        }
        if (moreInStream || reader.next(cursor.delivered()).isPresent()) {
            return true;
        }
        return reader.restartIfRecreated();
    }

    /**
     * Whether nothing is outstanding after the round: nothing read ahead, the cursor stored, and
     * the resequencer released nothing more ({@link GapRewinder#caughtUp()}). Then only a signal
     * or the instance's sweep can bring work.
     */
    boolean quiet() {
        return reader.lowestHeld().isEmpty() && cursor.committed() == cursor.delivered() && rewinder.caughtUp();
    }

    /** A store failed during the round: the wait at a gap is timed afresh once both answer. */
    void failed() {
        rewinder.reset();
    }
}
