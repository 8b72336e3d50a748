package org.reseq.resequencer.lead;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.reseq.model.destination.DestinationConfig;
import org.reseq.model.destination.DestinationConfigJson;
import org.reseq.model.destination.FailurePolicy;
import org.reseq.model.failure.DeadLetter.Stage;
import org.reseq.model.failure.OperatorCommand;
import org.reseq.model.leader.Mailbox;
import org.reseq.model.leader.StoreOutage;
import org.reseq.model.lease.CommitPacer;
import org.reseq.model.lease.Lease;
import org.reseq.model.lease.LeaseRole;
import org.reseq.model.lease.PollPace;
import org.reseq.model.lease.StoppableLeader;
import org.reseq.model.redis.RedisDataLostException;
import org.reseq.model.redis.TransformResult;
import org.reseq.resequencer.dispatch.Dispatcher.Dispatched;
import org.reseq.resequencer.dispatch.Progress;
import org.reseq.resequencer.release.ReleasePlan;
import org.reseq.resequencer.release.ResultBuffer.Check;
import org.reseq.resequencer.release.ResultBuffer.Fence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;

/**
 * The resequencer's leader of one destination for one lease: it keeps the dispatch window full,
 * collects finished results and releases the contiguous run after the released cursor, in order.
 *
 * <p>Threads: {@link #lead} runs on the leader's own platform thread (started by the
 * {@code LeaseKeeper}), and that thread owns every field of this object except the two volatile
 * ones {@link #stop()} uses from the lease keeper's thread. Signals arrive through the leader's
 * {@link Mailbox}. A new lease gets a new leader.
 *
 * <p>Cursors ({@link Line}): R = released (results moved to the out stream), D = highest
 * dispatched, and the destination's last sequence and delivered (EGRESS) cursor as last seen. Work
 * is dispatched up to {@code min(last, delivered + window)}, which bounds what Redis holds.
 *
 * <p>Failures it repairs by itself: a head of the line without a result past the head deadline is
 * dispatched again ({@link HeadWatchdog}); when Redis lost the destination's data (its fence is
 * gone) or egress asks for it, the leader rewinds: R goes back to the delivered cursor and
 * everything after it is dispatched again from PostgreSQL. While PostgreSQL or Redis cannot be
 * reached it pauses and retries every poll interval. A newer leader's fence or epoch ends it with
 * a {@link LeaseLostException}, which the lease keeper handles.
 *
 * <p>Failed transforms ({@link FailedHeads}): under {@code onFailure: BLOCK} a failed head stops
 * the line until an operator retries it (its result is dropped and it is dispatched again) or
 * skips it (a SKIPPED dead letter, and a failed placeholder goes out in its place). Under
 * {@code DEAD_LETTER} a failed head becomes a TRANSFORM dead letter and its failed result goes out
 * in its place, so the rest continues in order. Operator commands are taken at every poll.
 *
 * <p>Polls are the safety net for lost signals: after a poll that found nothing the signals had
 * not told, the next comes later and later, up to the idle poll interval ({@link PollPace}); one
 * that found news (signals are being lost), or a store that failed, brings the poll interval back.
 * A change made through the admin API ({@link Wakeup.Kind#CHANGED}) is polled at once.
 */
final class ResequencingLeader implements StoppableLeader {

    private static final Logger log = LoggerFactory.getLogger(ResequencingLeader.class);
    private static final int DEFAULT_MAX_BATCH = 100;
    private static final String REDIS_LOST = "redis-lost";
    private static final String REQUESTED = "requested";
    private static final int COMMANDS_PER_POLL = 5;

    private final String destination;
    private final LeaderContext context;
    private final HeadWatchdog watchdog;
    private final FailedHeads failedHeads;
    private final CommitPacer cursorCommits;
    private final PollPace pollPace;
    private final StoreOutage outage;

    private Lease lease;
    private Line line;
    private long lastSequence;
    private long delivered;
    private String configJson;
    private int maxBatch = DEFAULT_MAX_BATCH;
    private FailurePolicy onFailure = FailurePolicy.BLOCK;
    private final List<Long> staleResults = new ArrayList<>();
    private long blockedAt;
    private long lastPollNanos;
    /** Whether this lease's epoch is in the fence yet. */
    private boolean claimed;
    /** Why a rewind is due (retried until it completes); null when none is. */
    private Rewind rewind;

    private volatile boolean stopping;
    private volatile Mailbox<Wakeup> mailbox;

    ResequencingLeader(String destination, LeaderContext context) {
        this.destination = destination;
        this.context = context;
        this.watchdog = new HeadWatchdog(context.headDeadline());
        this.failedHeads = new FailedHeads(destination, context);
        this.cursorCommits = new CommitPacer(context.cursorCommitInterval());
        this.pollPace = new PollPace(context.pollInterval(), context.idlePollInterval());
        this.outage = new StoreOutage(log, "Resequencing " + destination, context.clock());
    }

    /** Asks {@link #lead} to return after the step in progress; called on the lease keeper's thread. */
    @Override
    public void stop() {
        stopping = true;
        Mailbox<Wakeup> current = mailbox;
        if (current != null) {
            current.nudge();
        }
    }

    @Override
    public void lead(Lease lease) throws InterruptedException {
        this.lease = lease;
        line = new Line(lease.position());
        context.metrics().leading(destination, line.released());
        Mailbox<Wakeup> opened = context.mailboxes().open(destination);
        mailbox = opened;
        log.info("Resequencing {} from released cursor {} (epoch {})", destination, line.released(), lease.epoch());
        try {
            boolean poll = true;
            while (!stopping && !Thread.currentThread().isInterrupted()) {
                try {
                    if (!claimed) {
                        claim();
                    }
                    if (rewind != null) {
                        rewind(); // one that failed halfway earlier
                    }
                    if (poll) {
                        pollPace.polled(poll());
                    }
                    step();
                    outage.succeeded("released #" + line.released());
                } catch (RedisDataLostException e) {
                    // the one place that handles the race: retried from the start until it completes
                    rewind = new Rewind(REDIS_LOST, e.getMessage(), false);
                    pollPace.busy();
                } catch (DataAccessException | SQLException e) {
                    outage.failed(e, "retrying every " + context.pollInterval().toMillis() + " ms");
                    pollPace.busy();
                }
                boolean changed = false;
                for (Wakeup wakeup : opened.take(cursorCommits.maxWait(line.unpersisted(), untilNextPoll()))) {
                    changed |= apply(wakeup);
                }
                poll = changed || untilNextPoll().isZero();
            }
            handOver();
        } finally {
            mailbox = null;
            context.mailboxes().close(destination, opened);
            context.metrics().forget(destination);
        }
    }

    private void step() throws SQLException {
        lease.ensureValid(); // woken after its deadline (a pause, PostgreSQL out of reach): act no more
        discardStaleResults();
        release(); // first: a finished result must not wait behind a dispatch query
        dispatch();
        if (line.unpersisted() && cursorCommits.due()) {
            advanceCursor();
        }
        watchHead();
    }

    /**
     * Puts this lease's epoch in the destination's fence, so that the release script refuses every
     * older leader from now on. No fence at all means Redis lost the destination's data while no
     * leader watched it, the out stream included: then the line starts again from delivered.
     */
    private void claim() {
        Fence fence = context.results().claim(lease); // LeaseLostException when a newer leader claimed it
        claimed = true;
        if (fence == Fence.MISSING) {
            rewind = new Rewind(REDIS_LOST, "its fence key was missing when this leader started", true);
        }
    }

    /**
     * Learns whether Redis still holds this leader's data and whether egress asked for a rewind,
     * then the destination's progress from PostgreSQL and, when the head is unknown, from Redis.
     *
     * @return true when it learned what no signal had told: progress, a finished head, a rewind
     */
    private boolean poll() throws SQLException {
        lastPollNanos = System.nanoTime();
        Check check = context.results().check(lease); // LeaseLostException when a newer leader claimed it
        boolean news = false;
        if (check.fence() == Fence.MISSING) {
            rewind(new Rewind(REDIS_LOST, "its fence key is missing: Redis lost its data", false));
            news = true;
        } else if (check.rewindRequested()) {
            rewind(new Rewind(REQUESTED, "egress asked for it (a gap in the out stream)", false));
            news = true;
        }
        Optional<Progress> progress = context.dispatcher().progress(destination);
        if (progress.isEmpty()) {
            return news; // deleted: the lease keeper stops this leader on its next tick
        }
        news |= progress.get().lastSequence() > lastSequence || progress.get().delivered() > delivered;
        lastSequence = Math.max(lastSequence, progress.get().lastSequence());
        delivered = Math.max(delivered, progress.get().delivered());
        configure(progress.get().configJson());
        if (!line.headKnown() && line.released() < lastSequence) {
            // the head's done signal may have been lost: look in the buffer itself
            Map<Long, Boolean> found = context.results().scan(destination, line.released(), line.known());
            found.forEach(line::finished);
            news |= line.headKnown();
        }
        obeyOperators();
        return news;
    }

    private void configure(String json) {
        if (Objects.equals(json, configJson)) {
            return;
        }
        configJson = json;
        try {
            DestinationConfig config = DestinationConfigJson.read(json);
            maxBatch = config.maxBatch();
            onFailure = config.onFailure();
        } catch (RuntimeException e) {
            log.warn("The configuration of {} is unreadable ({}); releasing at most {} per batch, {} on failure",
                    destination, e.getMessage(), maxBatch, onFailure);
        }
    }

    private void dispatch() throws SQLException {
        long upTo = Math.min(lastSequence, delivered + context.window());
        if (configJson == null || upTo <= line.dispatched()) {
            return;
        }
        Dispatched result = context.dispatcher().dispatch(destination, line.dispatched(), upTo, line.known(),
                configJson);
        line.dispatchedUpTo(result.highest());
        context.metrics().dispatched(destination, result.sent());
    }

    private void release() throws SQLException {
        while (true) {
            ReleasePlan plan = line.plan(maxBatch);
            if (plan.headFailed() && failedHeads.handle(lease, line, plan.first(), onFailure)) {
                continue;
            }
            noteBlocked(plan);
            if (plan.isEmpty()) {
                return;
            }
            // LeaseLostException past the term or when fenced off; RedisDataLostException when the fence is gone
            long moved = context.results().release(lease, plan.first(), plan.last());
            boolean complete = line.released(plan, moved);
            if (moved > 0) {
                // The script told egress already. The cursor is committed later, paced (see
                // CommitPacer): one behind what was released costs a repeat after a failover at
                // most, never an order or a message.
                context.metrics().released(destination, moved, line.released());
            }
            if (!complete) {
                log.warn("The result of {} #{} is missing from Redis; dispatching again from there", destination,
                        line.released() + 1);
                return;
            }
        }
    }

    /** Carries out a few queued operator commands, each taken from the queue only once carried out. */
    private void obeyOperators() throws SQLException {
        for (int i = 0; i < COMMANDS_PER_POLL && rewind == null; i++) {
            Optional<OperatorCommand> command = context.commands().peek(destination);
            if (command.isEmpty()) {
                return;
            }
            long sequence = command.get().sequence();
            switch (command.get().action()) {
                case RETRY -> failedHeads.retry(line, sequence, configJson);
                case SKIP -> {
                    Optional<TransformResult> placeholder = failedHeads.skip(lease, line, sequence);
                    if (placeholder.isPresent()) {
                        releaseSkipped(placeholder.get());
                    }
                }
                case REDELIVER -> log.warn("Ignoring REDELIVER:{} of {}: egress redelivers", sequence, destination);
            }
            context.commands().taken(lease);
        }
    }

    /** Releases a skipped head's placeholder in its place, replacing any result it has, atomically. */
    private void releaseSkipped(TransformResult placeholder) throws SQLException {
        long sequence = placeholder.sequence();
        long moved = context.results().releaseInstead(lease, sequence, placeholder);
        line.released(new ReleasePlan(sequence - 1, 1, false), moved);
        context.metrics().released(destination, moved, line.released());
        context.metrics().deadLettered(destination, Stage.SKIPPED.name());
        advanceCursor();
        log.warn("An operator skipped {} #{}: dead-lettered, the rest goes on in order", destination, sequence);
    }

    /** Dispatches the head again when it has waited past the head deadline. */
    private void watchHead() throws SQLException {
        long head = line.released() + 1;
        if (!watchdog.overdue(head, line.headWaiting(), context.clock().millis())) {
            return;
        }
        Dispatched again = context.dispatcher().dispatch(destination, head - 1, head, Set.of(), configJson);
        if (again.sent() > 0) {
            log.warn("{} #{} has no result after {}; dispatched it again", destination, head, context.headDeadline());
            context.metrics().headRedispatched(destination);
        }
    }

    private void rewind(Rewind due) throws SQLException {
        rewind = due;
        rewind();
    }

    /**
     * Starts the line again from the delivered cursor: released := delivered (a fenced cursor
     * write), every result known in memory forgotten (Redis may no longer hold them), the fence
     * claimed again, and everything after delivered dispatched again from PostgreSQL. Results
     * already in the out stream reach egress twice at most, and egress drops repeats. Retried
     * from the start until it completes.
     */
    private void rewind() throws SQLException {
        long deliveredNow = context.cursors().position(destination, LeaseRole.EGRESS);
        context.cursors().advance(lease, deliveredNow); // LeaseLostException when fenced off
        long from = line.released();
        line.restart(deliveredNow);
        delivered = Math.max(delivered, deliveredNow);
        staleResults.clear();
        watchdog.reset();
        failedHeads.reset();
        context.results().claim(lease); // LeaseLostException when a newer leader claimed it
        if (!rewind.quiet() || from != deliveredNow) {
            log.warn("Rewound {} from released #{} to delivered #{} because {}; dispatching the rest again",
                    destination, from, deliveredNow, rewind.reason());
            context.metrics().rewound(destination, rewind.tag(), deliveredNow);
        }
        rewind = null;
    }

    private void advanceCursor() throws SQLException {
        context.cursors().advance(lease, line.released()); // LeaseLostException when fenced off
        line.persisted();
        cursorCommits.committed();
    }

    /** Commits a released cursor that is still paced when the lease is given up, so the next leader starts there. */
    private void handOver() {
        if (!stopping || !line.unpersisted()) {
            return;
        }
        try {
            advanceCursor();
        } catch (DataAccessException | SQLException e) {
            log.info("Could not store the released cursor {} of {} when handing over ({}); the next leader releases"
                    + " what followed its last stored cursor again", line.released(), destination, e.toString());
        }
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

    /** @return true when the destination was changed and is to be polled at once */
    private boolean apply(Wakeup wakeup) {
        long number = wakeup.signal().number();
        switch (wakeup.kind()) {
            case INGESTED -> lastSequence = Math.max(lastSequence, number);
            case DELIVERED -> delivered = Math.max(delivered, number);
            case DONE -> {
                if (!line.finished(number, wakeup.signal().ok())) {
                    staleResults.add(number); // a late repeat of a released result
                }
            }
            case CHANGED -> {
                return true;
            }
        }
        return false;
    }

    private void discardStaleResults() {
        while (!staleResults.isEmpty()) {
            context.results().discard(destination, staleResults.getLast());
            staleResults.removeLast();
        }
    }

    private Duration untilNextPoll() {
        long elapsed = System.nanoTime() - lastPollNanos; // monotonic: an interval, not a point in time
        Duration remaining = pollPace.interval().minusNanos(elapsed);
        return remaining.isNegative() ? Duration.ZERO : remaining;
    }

    /**
     * A rewind that is due.
     *
     * @param tag the metric's reason tag
     * @param reason why, for the log
     * @param quiet whether it is news only when it moves the released cursor (at start, a missing
     *        fence is also what a destination that never released anything looks like)
     */
    private record Rewind(String tag, String reason, boolean quiet) {
    }
}
