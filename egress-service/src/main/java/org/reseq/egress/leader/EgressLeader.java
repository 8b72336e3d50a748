package org.reseq.egress.leader;

import io.micrometer.core.instrument.Timer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.reseq.egress.delivery.Delivery;
import org.reseq.egress.delivery.DeliveryChannel;
import org.reseq.egress.delivery.DeliveryStoppedException;
import org.reseq.model.destination.DestinationConfig;
import org.reseq.model.destination.StoredDestination;
import org.reseq.model.lease.DestinationLeader;
import org.reseq.model.lease.Lease;
import org.reseq.model.redis.TransformResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.stream.RecordId;

/**
 * Delivers one destination's out stream strictly in sequence order while this instance holds the
 * destination's EGRESS lease.
 *
 * <p>It reads the stream in batches of the destination's {@code maxBatch}, each after the last
 * entry read. With P the delivered cursor, an entry with sequence &lt;= P is a repeat (a batch
 * released twice around a resequencer failover) and is removed unsent; P + 1 is delivered; a
 * higher sequence is a gap, and the leader waits at it rather than deliver out of order. After a
 * batch, and before backing off from a failed attempt, it moves the cursor (fenced by the lease's
 * epoch), removes the delivered entries and publishes a delivered signal.
 *
 * <p>Threads: one instance per lease, run by {@link org.reseq.model.lease.LeaseKeeper} on its own
 * virtual thread. That thread owns every field; the retry guard runs on it too, called back
 * synchronously by the delivery channel. The only contact with other threads is the
 * {@link Mailbox}, which the pub/sub listener wakes. An interrupt means the lease is being given
 * up: the leader commits what was delivered and returns (its JDBC calls are shielded from the
 * interrupt, see {@link InterruptShield}). A {@code LeaseLostException} from a fenced write is not
 * caught here: it ends the leader at once.
 */
final class EgressLeader implements DestinationLeader {

    private static final Logger log = LoggerFactory.getLogger(EgressLeader.class);
    /** Stands for an entry without a readable sequence in {@link #gapLogged}. */
    private static final long UNDECODABLE = Long.MIN_VALUE;

    private final String destination;
    private final LeaderContext context;

    private Lease lease;
    /** The delivered cursor as stored in PostgreSQL. */
    private long committed;
    /** The highest sequence the destination accepted; ahead of {@link #committed} until the next flush. */
    private long delivered;
    /** Delivered or repeated entries still in the stream. */
    private final List<RecordId> toRemove = new ArrayList<>();
    /** The last entry consumed (delivered or skipped as a repeat); null: read from the start. */
    private RecordId lastRead;
    /** The destination as last read; null once it was deleted. */
    private StoredDestination current;
    private Instant readAt = Instant.MIN;
    private boolean undeliverableLogged;
    /** The sequence of the last gap warned about, so a gap is logged once, not at every poll. */
    private long gapLogged = -1;

    EgressLeader(String destination, LeaderContext context) {
        this.destination = destination;
        this.context = context;
    }

    @Override
    public void lead(Lease lease) throws Exception {
        this.lease = lease;
        this.committed = lease.position();
        this.delivered = lease.position();
        Mailbox mailbox = context.mailboxes().open(destination);
        try {
            deliverUntilInterrupted(mailbox);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            context.mailboxes().close(destination, mailbox);
        }
        handOver();
    }

    private void deliverUntilInterrupted(Mailbox mailbox) throws Exception {
        while (!Thread.currentThread().isInterrupted()) {
            if (!refreshIfDue()) {
                log.info("{} was deleted; its egress leader stops", destination);
                return;
            }
            Optional<DeliveryChannel> channel = channel();
            boolean more = channel.isPresent() && deliverBatch(channel.get());
            if (!more) {
                mailbox.await(context.pollInterval());
            }
        }
    }

    /** The channel to deliver through now, empty while paused or when the type has none yet. */
    private Optional<DeliveryChannel> channel() {
        if (current.paused()) {
            return Optional.empty();
        }
        Optional<DeliveryChannel> channel = context.channels().forType(current.config().type());
        if (channel.isEmpty() && !undeliverableLogged) {
            undeliverableLogged = true;
            log.warn("{} is a {} destination, which egress cannot deliver to yet: its messages wait in order",
                    destination, current.config().type());
        }
        return channel;
    }

    /**
     * Reads and delivers one batch.
     *
     * @return true when more entries may be waiting right now
     */
    private boolean deliverBatch(DeliveryChannel channel) throws Exception {
        DestinationConfig config = current.config();
        List<OutStream.Entry> entries = context.out().read(destination, lastRead, config.maxBatch());
        boolean wholeBatch = true;
        for (OutStream.Entry entry : entries) {
            if (!consume(entry, channel, config)) {
                wholeBatch = false;
                break;
            }
        }
        flush();
        return wholeBatch && entries.size() == config.maxBatch();
    }

    /** @return false when the leader must stop at this entry for now */
    private boolean consume(OutStream.Entry entry, DeliveryChannel channel, DestinationConfig config)
            throws Exception {
        TransformResult result = entry.result();
        if (result == null) {
            warnGapOnce(UNDECODABLE, "entry %s of the out stream cannot be decoded; waiting at it"
                    .formatted(entry.id()));
            return false;
        }
        long sequence = result.sequence();
        if (sequence <= delivered) {
            log.debug("{}: {} was delivered before; removing the repeat", destination, sequence);
            consumed(entry, delivered);
            return true;
        }
        if (sequence > delivered + 1) {
            warnGapOnce(sequence, "expected sequence %d next but the out stream holds %d; waiting, never out of order"
                    .formatted(delivered + 1, sequence));
            return false;
        }
        if (!result.ok()) {
            // Only a failure policy upstream releases a failed result: it stands for a message
            // that was dead-lettered there, so there is nothing to hand over.
            log.warn("{}: sequence {} failed its transforms ({}); not delivered", destination, sequence,
                    result.error());
            consumed(entry, sequence);
            return true;
        }
        Timer.Sample sample = Timer.start();
        try {
            channel.deliver(config, Delivery.of(destination, result), () -> keepTrying(config));
        } catch (DeliveryStoppedException e) {
            if (e.attemptsExhausted()) {
                log.error("{}: sequence {} was not accepted: {}; trying again later", destination, sequence,
                        e.getMessage());
            } else {
                log.info("{}: {} for sequence {}, as the destination was paused, changed or deleted", destination,
                        e.getMessage(), sequence);
            }
            return false;
        }
        sample.stop(context.metrics().delivery(destination));
        context.metrics().delivered(destination).increment();
        consumed(entry, sequence);
        return true;
    }

    private void consumed(OutStream.Entry entry, long deliveredSequence) {
        delivered = deliveredSequence;
        toRemove.add(entry.id());
        lastRead = entry.id();
    }

    /**
     * Called after every failed attempt: commits what was accepted so far (the destination may
     * stay down for long), then retries only while the destination is unchanged and not paused.
     */
    private boolean keepTrying(DestinationConfig used) throws Exception {
        flush();
        return refreshIfDue() && !current.paused() && current.config().equals(used);
    }

    /** Moves the cursor to what was delivered, then removes the consumed entries and signals. */
    private void flush() throws Exception {
        if (delivered > committed) {
            long position = delivered;
            InterruptShield.call(() -> {
                context.cursors().advance(lease, position);
                return null;
            });
            committed = position;
            context.out().delete(destination, toRemove);
            toRemove.clear();
            try {
                context.out().publishDelivered(destination, committed);
            } catch (RuntimeException e) {
                log.debug("Could not publish the delivered signal of {}: {}", destination, e.toString());
            }
        } else if (!toRemove.isEmpty()) {
            context.out().delete(destination, toRemove);
            toRemove.clear();
        }
    }

    /** Reads the destination again once the poll interval passed; false when it no longer exists. */
    private boolean refreshIfDue() throws Exception {
        Instant now = context.clock().instant();
        if (current != null && now.isBefore(readAt.plus(context.pollInterval()))) {
            return true;
        }
        Optional<StoredDestination> found = InterruptShield.call(() -> context.destinations().find(destination));
        readAt = now;
        if (found.isEmpty()) {
            current = null;
            return false;
        }
        StoredDestination next = found.get();
        if (current != null && current.paused() != next.paused()) {
            log.info("{} was {}", destination, next.paused() ? "paused" : "resumed");
        }
        if (current != null && !current.config().equals(next.config())) {
            log.info("{} was reconfigured", destination);
            undeliverableLogged = false;
        }
        current = next;
        return true;
    }

    /** Commits the delivered cursor before the lease goes to another instance. */
    private void handOver() throws Exception {
        if (current == null || delivered <= committed) {
            return;
        }
        // Waiting with the interrupt flag set would end at once: clear it for this last write and
        // set it again afterwards.
        boolean interrupted = Thread.interrupted();
        try {
            flush();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void warnGapOnce(long sequence, String message) {
        if (gapLogged != sequence) {
            gapLogged = sequence;
            log.warn("{}: {}", destination, message);
        }
    }
}
