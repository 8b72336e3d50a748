package org.reseq.egress.leader;

import io.micrometer.core.instrument.Timer;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.reseq.egress.delivery.Delivery;
import org.reseq.egress.delivery.DeliveryChannel;
import org.reseq.egress.delivery.DeliveryStoppedException;
import org.reseq.egress.delivery.RetryGuard;
import org.reseq.model.destination.DestinationConfig;
import org.reseq.model.destination.FailurePolicy;
import org.reseq.model.failure.DeadLetter;
import org.reseq.model.leader.Mailbox;
import org.reseq.model.leader.StoreOutage;
import org.reseq.model.lease.CommitPacer;
import org.reseq.model.lease.StoppableLeader;
import org.reseq.model.lease.Lease;
import org.reseq.model.lease.LeaseRole;
import org.reseq.model.lease.PollPace;
import org.reseq.model.redis.TransformResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.stream.RecordId;

/**
 * Delivers one destination's out stream strictly in sequence order while this instance holds the
 * destination's EGRESS lease.
 *
 * <p>With P the delivered cursor, it delivers P + 1 next, whenever the {@link OrderedReader} has
 * read it; results further on are read ahead and wait for their turn, repeats are removed unsent.
 * At most every {@code cursorCommitInterval} ({@link CommitPacer}), before backing off from a
 * failed attempt and when handing over, it moves the cursor (fenced by the lease's epoch),
 * removes the consumed entries and publishes a delivered signal.
 *
 * <p>Gaps: when nothing could be delivered for {@code gapTimeout} while the resequencer's
 * released cursor says it released P + 1, that result was lost on the way (Redis lost data): the
 * leader asks the resequencer to release again from P ({@code rewind} key), and again after
 * every further timeout while the gap lasts. Not before: a gap the resequencer has not released
 * yet is a transform still running, for its own watchdog.
 *
 * <p>Failures: a message the destination rejects permanently (see {@code DeliveryRetry}) stays
 * next in line under {@code onFailure: BLOCK}, retried slowly; under {@code DEAD_LETTER} it is
 * recorded as a {@code DELIVERY} dead letter with its transformed payload and passed over, and
 * delivery goes on in order. After each round's ordered deliveries (so that looking for them
 * never delays the next message) the leader carries out the operators' redelivery commands
 * ({@link OperatorRedeliveries}), outside the order and without moving the cursor; a
 * waiting command also ends the retries of a failing message in line, which is tried again right
 * after the redeliveries.
 *
 * <p>Outages: when PostgreSQL or Redis cannot be reached the leader pauses. It keeps what it
 * delivered in memory, delivers nothing more until that is stored, and tries again every poll
 * interval; it resumes by itself once both answer.
 *
 * <p>Rounds that no signal starts are the safety net for lost released signals: after one that
 * found nothing, the next comes later and later, up to the idle poll interval ({@link PollPace});
 * one that delivered something no signal announced, or a store that failed, brings the poll
 * interval back. The destination is read again at least every idle poll interval, at once after
 * a change made through the admin API, and every poll interval while a delivery is retried.
 *
 * <p>Threads: one instance per lease, run by {@link org.reseq.model.lease.LeaseKeeper} on its own
 * platform thread (ADR 11). That thread owns every field; the retry guard runs on it too, called back
 * synchronously by the delivery channel. The only contact with other threads is the
 * {@link Mailbox}, which the pub/sub listener posts to, and {@link #stop()}: the lease is being
 * given up, so the leader's thread leaves its wait or its backoff, a delivery in flight is aborted
 * through its channel, and the leader commits what was delivered and returns. No interrupt is
 * needed, so no database connection is broken halfway. A {@code LeaseLostException} (a fenced
 * write, or a term that ended) is not caught here: it ends the leader at once.
 */
final class EgressLeader implements StoppableLeader {

    private static final Logger log = LoggerFactory.getLogger(EgressLeader.class);
    /** Results held ahead of a gap at most; far above the resequencer's window, so only a safeguard. */
    static final int READ_AHEAD_LIMIT = 10_000;

    private final String destination;
    private final LeaderContext context;
    private final CurrentDestination current;
    private final OrderedReader reader;
    private final GapTimer gap;
    private final OperatorRedeliveries redeliveries;
    private final CommitPacer cursorCommits;
    private final PollPace pollPace;
    private final StoreOutage outage;

    private Lease lease;
    /** The delivered cursor as stored in PostgreSQL. */
    private long committed;
    /** The highest sequence the destination accepted; ahead of {@link #committed} until the next flush. */
    private long delivered;
    /** The sequence last reported as undeliverable as configured, so that it is logged once, not every round. */
    private long reportedUndeliverable;
    /** Set by {@link #stop()}, on the lease keeper's thread. */
    private volatile boolean stopping;
    /** Counted down by {@link #stop()}: ends a backoff at once. */
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile Mailbox<Wakeup> mailbox;
    /** Set when the retries of the message in line stopped so that waiting redeliveries go first. */
    private boolean yieldedToRedeliveries;
    /** Whether this lease's epoch is in the egress fence yet (see {@link Redeliveries#claim}). */
    private boolean fenceClaimed;

    EgressLeader(String destination, LeaderContext context) {
        this.destination = destination;
        this.context = context;
        this.current = new CurrentDestination(destination, context);
        this.reader = new OrderedReader(destination, context.out(), READ_AHEAD_LIMIT);
        this.gap = new GapTimer(context.gapTimeout());
        this.redeliveries = new OperatorRedeliveries(destination, context);
        this.cursorCommits = new CommitPacer(context.cursorCommitInterval());
        this.pollPace = new PollPace(context.pollInterval(), context.idlePollInterval());
        this.outage = new StoreOutage(log, "Delivery to " + destination, context.clock());
    }

    /**
     * Asks {@link #lead} to return soon: ends its wait or its backoff and aborts a delivery in
     * flight. Called on the lease keeper's thread; only sets flags and wakes.
     */
    @Override
    public void stop() {
        stopping = true;
        stopped.countDown();
        Mailbox<Wakeup> current = mailbox;
        if (current != null) {
            current.nudge();
        }
        context.channels().abort(destination);
    }

    @Override
    public void lead(Lease lease) throws Exception {
        this.lease = lease;
        this.committed = lease.position();
        this.delivered = lease.position();
        Mailbox<Wakeup> opened = context.mailboxes().open(destination);
        mailbox = opened;
        try {
            deliverUntilStopped(opened);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // stopped the hard way, after the stop grace
        } finally {
            mailbox = null;
            context.mailboxes().close(destination, opened);
            context.channels().release(destination);
            context.metrics().forget(destination);
        }
        handOver();
    }

    private void deliverUntilStopped(Mailbox<Wakeup> mailbox) throws Exception {
        boolean polling = false; // whether this round comes from a wait that no signal ended
        List<Wakeup> woken = List.of();
        while (!stopping && !Thread.currentThread().isInterrupted()) {
            boolean more;
            if (woken.contains(Wakeup.CHANGED)) {
                current.expire(); // an operator changed it: configuration, pause flag or a redelivery
            }
            long before = delivered;
            try {
                // Changes are signalled (expire above): reading the destination again is a safety net.
                if (!current.refreshIfOlderThan(context.idlePollInterval())) {
                    log.info("{} was deleted; its egress leader stops", destination);
                    return;
                }
                more = work();
                outage.succeeded("delivered #" + delivered);
            } catch (SQLException | DataAccessException e) {
                gap.reset();
                outage.failed(e, "delivery waits after #" + delivered + " (stored: #" + committed + ")");
                more = false;
            }
            if (polling) {
                // news: it delivered what no signal had announced, or a store failed
                pollPace.polled(delivered > before || outage.ongoing());
            }
            // with more to deliver, only what came meanwhile is taken: a change must not wait a round
            woken = mailbox.take(more ? Duration.ZERO : cursorCommits.maxWait(delivered > committed,
                    pollPace.interval()));
            polling = !more && woken.isEmpty();
        }
    }

    /**
     * One round: stores what an earlier round could not, reads on, delivers what is next in line.
     *
     * @return true when more may be deliverable right now
     */
    private boolean work() throws Exception {
        lease.ensureValid(); // woken after its deadline (a pause, PostgreSQL out of reach): act no more
        if (!fenceClaimed) {
            context.redeliveries().claim(lease);
            fenceClaimed = true;
        }
        // A cursor write that failed is due again at once: nothing more goes out before it is stored.
        flushIfDue();
        Optional<DeliveryChannel> channel = current.channel();
        if (channel.isEmpty()) {
            gap.reset();
            return false;
        }
        DestinationConfig config = current.config();
        boolean moreInStream = reader.read(delivered, config.maxBatch());
        long before = delivered;
        boolean stopped = !deliverNext(channel.get(), config);
        flushIfDue();
        if (stopped || delivered > before) {
            gap.reset();
        } else if (gap.waiting(context.clock().instant())) {
            rewindIfReleased();
        }
        boolean yielded = yieldedToRedeliveries;
        yieldedToRedeliveries = false;
        if (!redeliveries.run(lease, channel.get(), config, guarded(() -> keepTrying(config)))) {
            gap.reset();
            return false;
        }
        if (stopped) {
            // Yielded to an operator's redelivery, carried out just now: go round again at once.
            return yielded;
        }
        if (moreInStream || reader.next(delivered).isPresent()) {
            return true;
        }
        return reader.restartIfRecreated();
    }

    /**
     * Delivers the results next in line, at most a batch of them.
     *
     * @return false when a delivery stopped without the destination accepting it
     */
    private boolean deliverNext(DeliveryChannel channel, DestinationConfig config) throws Exception {
        for (int count = 0; count < config.maxBatch(); count++) {
            Optional<ReadAhead.Held<RecordId>> next = reader.next(delivered);
            if (next.isEmpty()) {
                return true;
            }
            if (!deliver(next.get(), channel, config)) {
                return false;
            }
        }
        return true;
    }

    /** @return false when the destination did not accept it; it stays next in line */
    private boolean deliver(ReadAhead.Held<RecordId> next, DeliveryChannel channel, DestinationConfig config)
            throws Exception {
        TransformResult result = next.result();
        long sequence = result.sequence();
        if (!result.ok()) {
            // Only a failure policy upstream releases a failed result: it stands for a message
            // that was dead-lettered there, so there is nothing to hand over.
            log.warn("{}: sequence {} failed its transforms ({}); not delivered", destination, sequence,
                    result.error());
            consumed(next);
            return true;
        }
        Timer.Sample sample = Timer.start();
        try {
            lease.ensureValid();
            channel.deliver(config, Delivery.of(destination, result, lease.epoch()),
                    guarded(() -> keepTryingInOrder(config)));
        } catch (DeliveryStoppedException e) {
            if (e.permanentlyRejected() && config.onFailure() == FailurePolicy.DEAD_LETTER) {
                deadLetter(result, e);
                consumed(next);
                return true;
            }
            if (e.permanentlyRejected()) {
                log.error("{}: sequence {} was rejected: {}; it stays next in line", destination, sequence,
                        e.getMessage());
            } else if (e.undeliverable()) {
                if (reportedUndeliverable != sequence) {
                    reportedUndeliverable = sequence;
                    log.error("{}: sequence {} cannot be delivered as the destination is configured: {}; it stays next"
                            + " in line until the destination is reconfigured", destination, sequence, e.getMessage());
                }
            } else if (e.attemptsExhausted()) {
                log.error("{}: sequence {} was not accepted: {}; trying again later", destination, sequence,
                        e.getMessage());
            } else if (stopping) {
                log.debug("{}: sequence {} waits for the next leader: this one is stopping", destination, sequence);
            } else if (yieldedToRedeliveries) {
                log.debug("{}: sequence {} waits while an operator's redelivery goes first", destination, sequence);
            } else {
                log.info("{}: {} for sequence {}, as the destination was paused, changed or deleted", destination,
                        e.getMessage(), sequence);
            }
            return false;
        }
        sample.stop(context.metrics().delivery(destination));
        context.metrics().delivered(destination).increment();
        consumed(next);
        return true;
    }

    /** Records a message the destination rejected for good; the caller then passes over it. */
    private void deadLetter(TransformResult result, DeliveryStoppedException e) throws Exception {
        int attempts = (int) Math.min(e.attempts(), Integer.MAX_VALUE);
        context.deadLetters().record(lease, result.sequence(), result.messageId(),
                DeadLetter.Stage.DELIVERY, e.getMessage(), attempts,
                result.contentType() == null ? "" : result.contentType(),
                result.payload() == null ? new byte[0] : result.payload());
        context.metrics().deadLettered(destination).increment();
        log.warn("{}: sequence {} was rejected for good ({}); recorded as a dead letter, delivery goes on",
                destination, result.sequence(), e.getMessage());
    }

    private void consumed(ReadAhead.Held<RecordId> next) {
        delivered = next.sequence();
        reader.consumed(next);
    }

    /**
     * Called after every failed attempt: commits what was accepted so far (the destination may
     * stay down for long), then retries only while the destination is unchanged and not paused.
     */
    private boolean keepTrying(DestinationConfig used) throws Exception {
        lease.ensureValid(); // LeaseLostException ends the retries and the leader
        if (stopping) {
            return false;
        }
        flush();
        return current.refreshIfOlderThan(context.pollInterval()) && current.stillDeliversWith(used);
    }

    /**
     * The guard of the message in line: as {@link #keepTrying}, and it also stops the retries when
     * an operator asked for a redelivery, so that a destination held at a failing message (down,
     * or blocked at a permanent rejection) still carries redeliveries out. The message stays next
     * in line and is tried again right after them.
     */
    private boolean keepTryingInOrder(DestinationConfig used) throws Exception {
        if (!keepTrying(used)) {
            return false;
        }
        if (context.redeliveries().pending(destination)) {
            yieldedToRedeliveries = true;
            return false;
        }
        return true;
    }

    /**
     * {@code keepTrying}, and a check of the lease's term right before each attempt's bytes go
     * out: a leader whose term ended sends nothing, however long it was paused before the send.
     */
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
                if (stopped.await(delay.toNanos(), TimeUnit.NANOSECONDS)) {
                    throw DeliveryStoppedException.stoppedByGuard("the leader is stopping");
                }
            }
        };
    }

    /** {@link #flush()} when the pacing allows; after a failed commit, at once. */
    private void flushIfDue() throws Exception {
        if (cursorCommits.due()) {
            flush();
        }
    }

    /** Moves the cursor to what was delivered, then removes the consumed entries and signals. */
    private void flush() throws Exception {
        if (delivered > committed) {
            long position = delivered;
            context.cursors().advance(lease, position);
            committed = position;
            cursorCommits.committed();
            reader.removeConsumed();
            try {
                context.out().publishDelivered(destination, committed);
            } catch (RuntimeException e) {
                log.debug("Could not publish the delivered signal of {}: {}", destination, e.toString());
            }
        } else {
            reader.removeConsumed();
        }
    }

    /**
     * Nothing was deliverable for a gap timeout (again): when the resequencer released past the
     * delivered cursor, what it released did not arrive, and it is asked to release it again.
     */
    private void rewindIfReleased() throws Exception {
        long released = context.cursors().position(destination, LeaseRole.RESEQUENCER);
        if (released <= committed) {
            return;
        }
        context.out().requestRewind(destination, committed);
        context.metrics().rewinds(destination).increment();
        String held = reader.lowestHeld().map(sequence -> "the out stream holds " + sequence + " next")
                .orElse("the out stream holds nothing past it");
        log.warn("{}: waited {} ms for sequence {}, released up to {}, but {}; asked the resequencer to release again"
                        + " after {}", destination, gap.waited(context.clock().instant()).toMillis(), committed + 1,
                released, held, committed);
    }

    /** Commits the delivered cursor before the lease goes to another instance. */
    private void handOver() throws Exception {
        if (!current.known() || delivered <= committed) {
            return;
        }
        // Waiting with the interrupt flag set would end at once: clear it for this last write and
        // set it again afterwards.
        boolean interrupted = Thread.interrupted();
        try {
            flush();
        } catch (SQLException | DataAccessException e) {
            log.info("{}: could not store the delivered cursor {} when handing over ({}); the next leader delivers"
                    + " from {} again, with the same idempotency keys", destination, delivered, e.toString(), committed);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
