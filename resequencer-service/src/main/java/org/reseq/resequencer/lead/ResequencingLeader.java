package org.reseq.resequencer.lead;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.reseq.model.destination.DestinationConfigJson;
import org.reseq.model.lease.DestinationLeader;
import org.reseq.model.lease.Lease;
import org.reseq.model.lease.LeaseLostException;
import org.reseq.resequencer.dispatch.Dispatcher.Dispatched;
import org.reseq.resequencer.dispatch.Progress;
import org.reseq.resequencer.release.ReleasePlan;
import org.reseq.resequencer.release.ReleasePlanner;
import org.reseq.resequencer.release.ResultBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;

/**
 * The resequencer's leader of one destination for one lease: it keeps the dispatch window full,
 * collects finished results and releases the contiguous run after the released cursor, in order.
 *
 * <p>Threads: {@link #lead} runs on the leader's own virtual thread (started by the
 * {@code LeaseKeeper}), and that thread owns every field of this object. Nothing else touches
 * them; signals arrive through the leader's {@link Mailbox}. A new lease gets a new leader.
 *
 * <p>Cursors: R = released (results moved to the out stream), D = highest dispatched, and the
 * destination's last sequence and delivered (EGRESS) cursor as last seen. Work is dispatched up to
 * {@code min(last, delivered + window)}, which bounds what Redis holds for the destination.
 */
final class ResequencingLeader implements DestinationLeader {

    private static final Logger log = LoggerFactory.getLogger(ResequencingLeader.class);
    private static final int DEFAULT_MAX_BATCH = 100;

    private final String destination;
    private final LeaderContext context;

    private Lease lease;
    private long released;
    private long persisted;
    private long dispatched;
    private long lastSequence;
    private long delivered;
    private String configJson;
    private int maxBatch = DEFAULT_MAX_BATCH;
    private final Set<Long> succeeded = new HashSet<>();
    private final Set<Long> failed = new HashSet<>();
    private final List<Long> staleResults = new ArrayList<>();
    private long blockedAt;
    private long lastPollNanos;
    private boolean troubled;

    ResequencingLeader(String destination, LeaderContext context) {
        this.destination = destination;
        this.context = context;
    }

    @Override
    public void lead(Lease lease) throws InterruptedException {
        this.lease = lease;
        released = lease.position();
        persisted = released;
        dispatched = released; // everything past R without a result is dispatched again
        context.metrics().leading(destination, released);
        Mailbox mailbox = context.mailboxes().open(destination);
        log.info("Resequencing {} from released cursor {} (epoch {})", destination, released, lease.epoch());
        try {
            boolean poll = true;
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    if (poll) {
                        poll();
                    }
                    step();
                    recovered();
                } catch (DataAccessException | SQLException e) {
                    troubled(e);
                }
                for (Wakeup wakeup : mailbox.take(untilNextPoll())) {
                    apply(wakeup);
                }
                poll = untilNextPoll().isZero();
            }
        } finally {
            context.mailboxes().close(destination, mailbox);
        }
    }

    private void step() throws SQLException {
        if (persisted < released) {
            advanceCursor(); // a release whose cursor write failed earlier
        }
        discardStaleResults();
        dispatch();
        release();
    }

    /** Learns the destination's progress from PostgreSQL and, when the head is unknown, from Redis. */
    private void poll() throws SQLException {
        lastPollNanos = System.nanoTime();
        Optional<Progress> progress = context.dispatcher().progress(destination);
        if (progress.isEmpty()) {
            return; // deleted: the lease keeper stops this leader on its next tick
        }
        lastSequence = Math.max(lastSequence, progress.get().lastSequence());
        delivered = Math.max(delivered, progress.get().delivered());
        configure(progress.get().configJson());
        if (!succeeded.contains(released + 1) && !failed.contains(released + 1)) {
            // the head's done signal may have been lost: look in the buffer itself
            Set<Long> known = new HashSet<>(succeeded);
            known.addAll(failed);
            for (Map.Entry<Long, Boolean> result : context.results().scan(destination, released, known).entrySet()) {
                finished(result.getKey(), result.getValue());
            }
        }
    }

    private void configure(String json) {
        if (Objects.equals(json, configJson)) {
            return;
        }
        configJson = json;
        try {
            maxBatch = DestinationConfigJson.read(json).maxBatch();
        } catch (RuntimeException e) {
            log.warn("The configuration of {} is unreadable ({}); releasing at most {} per batch", destination,
                    e.getMessage(), maxBatch);
        }
    }

    private void dispatch() throws SQLException {
        long upTo = Math.min(lastSequence, delivered + context.window());
        if (configJson == null || upTo <= dispatched) {
            return;
        }
        Set<Long> finished = new HashSet<>(succeeded);
        finished.addAll(failed);
        Dispatched result = context.dispatcher().dispatch(destination, dispatched, upTo, finished, configJson);
        dispatched = Math.max(dispatched, result.highest());
        context.metrics().dispatched(destination, result.sent());
    }

    private void release() throws SQLException {
        while (true) {
            ReleasePlan plan = ReleasePlanner.plan(released, succeeded, failed, maxBatch);
            noteBlocked(plan);
            if (plan.isEmpty()) {
                return;
            }
            long moved = context.results().release(destination, lease.epoch(), plan.first(), plan.last());
            if (moved == ResultBuffer.FENCED) {
                throw new LeaseLostException(lease, "a resequencer with a higher epoch released " + destination);
            }
            for (long sequence = plan.first(); sequence <= plan.last(); sequence++) {
                succeeded.remove(sequence);
            }
            if (moved > 0) {
                released += moved;
                context.metrics().released(destination, moved, released);
                advanceCursor();
                context.results().announce(destination, released);
            }
            if (moved < plan.count()) {
                // a result vanished from Redis (flushed?): forget the rest of the run, work it again
                log.warn("The result of {} #{} is missing from Redis; dispatching again from there", destination,
                        released + 1);
                dispatched = Math.min(dispatched, released);
                return;
            }
        }
    }

    private void advanceCursor() throws SQLException {
        context.cursors().advance(lease, released); // LeaseLostException when fenced off
        persisted = released;
    }

    private void noteBlocked(ReleasePlan plan) {
        long blocked = plan.headFailed() ? plan.first() : 0;
        if (blocked == blockedAt) {
            return;
        }
        if (blocked > 0) {
            log.warn("{} is blocked at #{}: its transform failed for good; later results wait behind it",
                    destination, blocked);
        } else {
            log.info("{} is no longer blocked at #{}", destination, blockedAt);
        }
        blockedAt = blocked;
        context.metrics().blockedAt(destination, blocked);
    }

    private void apply(Wakeup wakeup) {
        long number = wakeup.signal().number();
        switch (wakeup.kind()) {
            case INGESTED -> lastSequence = Math.max(lastSequence, number);
            case DELIVERED -> delivered = Math.max(delivered, number);
            case DONE -> {
                if (number <= released) {
                    staleResults.add(number); // a late repeat of a released result
                } else {
                    finished(number, wakeup.signal().ok());
                }
            }
        }
    }

    private void finished(long sequence, boolean ok) {
        if (ok) {
            failed.remove(sequence);
            succeeded.add(sequence);
        } else {
            succeeded.remove(sequence);
            failed.add(sequence);
        }
    }

    private void discardStaleResults() {
        while (!staleResults.isEmpty()) {
            context.results().discard(destination, staleResults.getLast());
            staleResults.removeLast();
        }
    }

    private Duration untilNextPoll() {
        long elapsed = System.nanoTime() - lastPollNanos; // monotonic: an interval, not a point in time
        Duration remaining = context.pollInterval().minusNanos(elapsed);
        return remaining.isNegative() ? Duration.ZERO : remaining;
    }

    private void troubled(Exception e) {
        if (!troubled) {
            log.warn("Resequencing {} paused: {}; retrying every {}", destination, e.toString(),
                    context.pollInterval());
        } else {
            log.debug("Resequencing {} still paused: {}", destination, e.toString());
        }
        troubled = true;
    }

    private void recovered() {
        if (troubled) {
            log.info("Resequencing {} resumed", destination);
            troubled = false;
        }
    }
}
