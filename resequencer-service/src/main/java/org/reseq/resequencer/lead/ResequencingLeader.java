package org.reseq.resequencer.lead;

import java.sql.SQLException;
import java.time.Duration;
import org.reseq.model.leader.LeaderSweep;
import org.reseq.model.leader.Mailbox;
import org.reseq.model.leader.StoreOutage;
import org.reseq.model.lease.Lease;
import org.reseq.model.lease.PollPace;
import org.reseq.model.lease.StoppableLeader;
import org.reseq.model.redis.RedisDataLostException;
import org.reseq.resequencer.lead.Rewinder.Rewind;
import org.reseq.resequencer.release.ResultBuffer.Fence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;

/**
 * The resequencer's leader of one destination for one lease: it keeps the dispatch window full,
 * collects finished results and releases the contiguous run after the released cursor, in order.
 * This class is the loop: the lease's start and hand-over, the mailbox, the poll pace, and the one
 * place that handles a store out of reach or Redis data lost. Each step is a class of its own, and
 * all of them share what the leader knows in one {@link LedDestination}.
 *
 * <p>Threads: {@link #lead} runs on the leader's own platform thread (started by the
 * {@code LeaseKeeper}), and that thread owns every field of this object and of its steps, except
 * the two volatile ones {@link #stop()} uses from the lease keeper's thread. Signals arrive through
 * the leader's {@link Mailbox} and are applied by {@link Wakeups}. A new lease gets a new leader.
 *
 * <p>Cursors ({@link Line}): R = released (results moved to the out stream), D = highest
 * dispatched, and the destination's last sequence and delivered (EGRESS) cursor as last seen. Work
 * is dispatched up to {@code min(last, delivered + window)}, which bounds what Redis holds
 * ({@link DispatchWindow}). The run after R is released by the {@link Releaser}, and R is written
 * to PostgreSQL paced ({@link ReleasedCursor}).
 *
 * <p>Failures it repairs by itself: a head of the line without a result past the head deadline is
 * dispatched again ({@link HeadWatchdog}); when Redis lost the destination's data (its fence is
 * gone) or egress asks for it, the leader rewinds ({@link Rewinder}): R goes back to the delivered
 * cursor and everything after it is dispatched again from PostgreSQL. While PostgreSQL or Redis
 * cannot be reached it pauses and retries every poll interval. A newer leader's fence or epoch ends
 * it with a {@link org.reseq.model.lease.LeaseLostException}, which the lease keeper handles.
 *
 * <p>Failed transforms ({@link FailedHeads}): under {@code onFailure: BLOCK} a failed head stops
 * the line until an operator retries it (its result is dropped and it is dispatched again) or
 * skips it (a SKIPPED dead letter, and a failed placeholder goes out in its place). Under
 * {@code DEAD_LETTER} a failed head becomes a TRANSFORM dead letter and its failed result goes out
 * in its place, so the rest continues in order. Operator commands are taken at every poll
 * ({@link OperatorCommandRunner}).
 *
 * <p>Polls ({@link Poller}) are the safety net for lost signals: after a poll that found nothing
 * the signals had not told, the next comes later and later, up to the idle poll interval
 * ({@link PollPace}); one that found news (signals are being lost), or a store that failed, brings
 * the poll interval back. A change made through the admin API ({@link Wakeup.Kind#CHANGED}) is
 * polled at once. While the leader is quiet (nothing outstanding) the instance's
 * {@link LeaderSweep} watches its destination with all the others, and its own polls back off to
 * {@link LeaderSweep#QUIET_POLL_INTERVAL}.
 */
final class ResequencingLeader implements StoppableLeader {

    private static final Logger log = LoggerFactory.getLogger(ResequencingLeader.class);

    private final LeaderContext context;
    private final LedDestination led;
    private final Wakeups wakeups;
    private final ReleasedCursor cursor;
    private final Releaser releaser;
    private final DispatchWindow dispatchWindow;
    private final Rewinder rewinder;
    private final Poller poller;
    private final PollPace pollPace;
    private final StoreOutage outage;

    private long lastPollNanos;
    /** Whether this lease's epoch is in the fence yet. */
    private boolean claimed;

    private volatile boolean stopping;
    private volatile Mailbox<Wakeup> mailbox;

    ResequencingLeader(String destination, LeaderContext context) {
        this.context = context;
        this.led = new LedDestination(destination);
        this.dispatchWindow = new DispatchWindow(led, context);
        this.wakeups = new Wakeups(led, context.results());
        this.cursor = new ReleasedCursor(led, context.cursors(), context.cursorCommitInterval());
        FailedHeads failedHeads = new FailedHeads(led, context);
        this.releaser = new Releaser(led, context, failedHeads, cursor);
        this.rewinder = new Rewinder(led, context, wakeups, dispatchWindow, failedHeads);
        this.poller = new Poller(led, context, rewinder,
                new OperatorCommandRunner(led, context, failedHeads, releaser, rewinder));
        this.pollPace = PollPace.watchedBySweep(context.pollInterval(), context.idlePollInterval());
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
        led.begin(lease);
        String destination = led.name();
        context.metrics().leading(destination, led.line().released());
        Mailbox<Wakeup> opened = context.mailboxes().open(destination);
        mailbox = opened;
        log.info("Resequencing {} from released cursor {} (epoch {})", destination, led.line().released(),
                lease.epoch());
        try {
            boolean poll = true;
            while (!stopping && !Thread.currentThread().isInterrupted()) {
                try {
                    if (!claimed) {
                        claim();
                    }
                    rewinder.carryOutPending(); // one due since the last step, or one that failed halfway
                    if (poll) {
                        lastPollNanos = System.nanoTime();
                        pollPace.polled(poller.poll());
                    }
                    step();
                    pollPace.quiet(quiet());
                    outage.succeeded("released #" + led.line().released());
                } catch (RedisDataLostException e) {
                    // the one place that handles the race: retried from the start until it completes
                    rewinder.schedule(Rewind.redisLost(e.getMessage()));
                    pollPace.busy();
                } catch (DataAccessException | SQLException e) {
                    outage.failed(e, "retrying every " + context.pollInterval().toMillis() + " ms");
                    pollPace.busy();
                }
                boolean changed = false;
                for (Wakeup wakeup : opened.take(cursor.maxWait(untilNextPoll()))) {
                    changed |= wakeups.apply(wakeup);
                }
                poll = changed || untilNextPoll().isZero();
            }
            if (stopping) {
                cursor.handOver();
            }
        } finally {
            mailbox = null;
            context.mailboxes().close(destination, opened);
            context.metrics().forget(destination);
        }
    }

    private void step() throws SQLException {
        led.lease().ensureValid(); // woken after its deadline (a pause, PostgreSQL out of reach): act no more
        wakeups.discardStale();
        releaser.release(); // first: a finished result must not wait behind a dispatch query
        if (dispatchWindow.fill()) {
            releaser.release(); // what needed no transform is ready already
        }
        cursor.commitIfDue();
        dispatchWindow.watchHead();
    }

    /**
     * Puts this lease's epoch in the destination's fence, so that the release script refuses every
     * older leader from now on. No fence at all means Redis lost the destination's data while no
     * leader watched it, the out stream included: then the line starts again from delivered.
     */
    private void claim() {
        Fence fence = context.results().claim(led.lease()); // LeaseLostException when a newer leader claimed it
        claimed = true;
        if (fence == Fence.MISSING) {
            rewinder.schedule(Rewind.fenceMissingAtStart());
        }
    }

    /**
     * Whether nothing is outstanding: everything ingested is released and its cursor stored, and no
     * rewind is due. Then only a signal or the {@link LeaderSweep} can bring work, and the leader's
     * own polls become rare; with work outstanding it polls by itself, because what it waits for
     * (a worker's result, a head past its deadline) is nothing the sweep watches.
     */
    private boolean quiet() {
        Line line = led.line();
        return line.released() >= led.lastSequence() && line.dispatched() <= line.released() && !line.unpersisted()
                && !rewinder.pending();
    }

    private Duration untilNextPoll() {
        long elapsed = System.nanoTime() - lastPollNanos; // monotonic: an interval, not a point in time
        Duration remaining = pollPace.interval().minusNanos(elapsed);
        return remaining.isNegative() ? Duration.ZERO : remaining;
    }
}
