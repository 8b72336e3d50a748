package org.reseq.worker.consume;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.reseq.worker.WorkerProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The consumer loop: reads work from the work stream through the worker group while the entries
 * this instance holds and runs are within their count and byte bounds (at most {@value #MAX_READ}
 * per read), and hands each to {@link InFlightItems}, which runs it on its own virtual thread
 * once its destination's fair share of the slots has room. Every destination's work shares one
 * stream, so the loop reads on past a destination that has taken its share, up to those bounds:
 * that is how another destination's entries behind it are found. Every {@code claim-interval} it
 * also claims (XAUTOCLAIM) entries another worker left unacknowledged for {@code claim-idle},
 * within the same bounds: that worker presumably died. A live worker's long transforms and held
 * entries are not taken: {@link ClaimRefresher} keeps their claims fresh. After each claim pass
 * {@link GoneConsumers} removes the group's consumers idle for {@code forget-consumer-idle} with
 * nothing pending, so that restarted workers do not pile up in the group.
 *
 * <p>When Redis fails (unreachable, restarted, flushed), the loop logs it once, checks the group
 * again (creating it when it is gone) and retries with a capped backoff; it never spins.
 *
 * <p>Threading: one platform thread, {@code reseq-work-consumer}, owns the loop and the group
 * state and runs the claim pass and {@link GoneConsumers}; item threads are managed by
 * {@link InFlightItems}; claims are refreshed on the {@link ClaimRefresher}'s thread.
 * {@link #stop()} runs on the thread that closes the context: it ends the loop, lets go of the
 * held entries that never started, waits up to {@code shutdown-grace} for running items (still
 * refreshing their claims), then interrupts the rest. Entries let go or interrupted stay pending
 * in Redis for another worker.
 */
@Component
class WorkConsumer implements SmartLifecycle {

    static final int MAX_READ = 100;
    static final Duration BLOCK = Duration.ofSeconds(1);
    private static final Duration INTERRUPTED_ITEMS_WAIT = Duration.ofSeconds(2);
    private static final Logger log = LoggerFactory.getLogger(WorkConsumer.class);

    private final RedisWorkStream stream;
    private final WorkItemProcessor processor;
    private final InFlightItems inFlight;
    private final ClaimRefresher refresher;
    private final GoneConsumers goneConsumers;
    private final WorkerMetrics metrics;
    private final Clock clock;
    private final String consumer;
    private final WorkerProperties.Worker settings;
    private final FairScheduler.Limits limits;

    private volatile boolean running;
    private Thread loop;

    WorkConsumer(RedisWorkStream stream, WorkItemProcessor processor, WorkerMetrics metrics, Clock clock,
            WorkerProperties properties) {
        this.stream = stream;
        this.processor = processor;
        this.metrics = metrics;
        this.clock = clock;
        this.consumer = properties.instanceId();
        this.settings = properties.worker();
        this.limits = limits(settings);
        this.inFlight = new InFlightItems(limits, processor::process, metrics);
        this.refresher = new ClaimRefresher(stream, inFlight, consumer, settings.claimIdle(), clock);
        this.goneConsumers = new GoneConsumers(stream, metrics, consumer, settings.forgetConsumerIdle());
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        boolean groupReady = createGroup();
        refresher.start();
        loop = Thread.ofPlatform().name("reseq-work-consumer").start(() -> consume(groupReady));
        log.info("Consuming work as '{}': at most {} items at once and {} of them for one destination, {} more "
                + "read ahead, {} bytes in all; claiming work idle for {} every {}, removing consumers idle for {} "
                + "with nothing pending", consumer, settings.maxInFlight(), limits.shareCap(), settings.maxHeld(),
                limits.maxBytes(), settings.claimIdle(), settings.claimInterval(), settings.forgetConsumerIdle());
    }

    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        try {
            // Wake it from a pause, not from a read: an interrupted read could take entries and drop them.
            LockSupport.unpark(loop);
            loop.join(BLOCK.plus(Outage.MAX_PAUSE).plusSeconds(5));
            int held = inFlight.leaveHeld();
            if (held > 0) {
                log.info("{} held work item(s) never started; they stay pending in Redis", held);
            }
            if (!inFlight.awaitIdle(settings.shutdownGrace())) {
                int left = inFlight.interruptAll();
                log.warn("{} work item(s) unfinished after {}; they stay pending in Redis", left,
                        settings.shutdownGrace());
                inFlight.awaitIdle(INTERRUPTED_ITEMS_WAIT);
            }
        } catch (InterruptedException e) {
            inFlight.interruptAll();
            Thread.currentThread().interrupt();
        } finally {
            // Only now: items finishing within the grace keep their claims fresh until they are done.
            refresher.stop();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Starts after and stops before the Redis connection factory (phase 0) and the web server. */
    @Override
    public int getPhase() {
        return DEFAULT_PHASE - 4096;
    }

    /** Creates the group before the first read, so it exists once the context has started. */
    private boolean createGroup() {
        try {
            stream.ensureGroup();
            return true;
        } catch (RuntimeException e) {
            log.warn("Cannot create the worker group yet; the consumer loop keeps trying: {}", e.toString());
            return false;
        }
    }

    private void consume(boolean groupCreated) {
        Outage outage = new Outage("Consuming work", log, clock);
        boolean groupReady = groupCreated;
        long nextClaimAt = clock.millis();
        while (running) {
            try {
                if (!groupReady) {
                    stream.ensureGroup();
                    groupReady = true;
                    outage.succeeded();
                }
                if (clock.millis() >= nextClaimAt) {
                    claimAbandoned();
                    // Never throws: a failure to remove consumers must not stop the consuming.
                    goneConsumers.forget();
                    nextClaimAt = clock.millis() + settings.claimInterval().toMillis();
                }
                if (readOnce()) {
                    outage.succeeded();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // Whatever went wrong, check the group again before the next read: it is cheap and
                // it is what a flushed Redis needs.
                groupReady = false;
                if (!running) {
                    return;
                }
                pause(outage.failed(RedisWorkStream.isMissingGroup(e)
                        ? "the work stream or its consumer group is gone (Redis flushed?); creating it again"
                        : "Redis failed", e));
            }
        }
    }

    /** One read; true when Redis answered, false when the bounds left no room to read. */
    private boolean readOnce() throws InterruptedException {
        // Only this thread adds entries, so the room found stays free until the read is handed over.
        int room = inFlight.awaitReadRoom(MAX_READ, BLOCK);
        if (room == 0) {
            return false;
        }
        for (WorkRecord record : stream.read(consumer, room, BLOCK)) {
            accept(record);
        }
        return true;
    }

    /**
     * One scan over the group's pending entries, claiming those idle for {@code claim-idle} while
     * the bounds leave room. Entries this instance runs or holds itself are not taken twice.
     */
    private void claimAbandoned() throws InterruptedException {
        String cursor = ClaimedWork.START;
        int taken = 0;
        int deleted = 0;
        do {
            int room = inFlight.awaitReadRoom(MAX_READ, Duration.ZERO);
            if (room == 0) {
                break;
            }
            ClaimedWork claimed = stream.claimIdle(consumer, settings.claimIdle(), cursor, room);
            int takenNow = 0;
            for (WorkRecord record : claimed.records()) {
                if (!inFlight.holds(record.id()) && accept(record)) {
                    takenNow++;
                }
            }
            metrics.claimed(takenNow);
            taken += takenNow;
            deleted += claimed.deletedIds().size();
            cursor = claimed.nextCursor();
        } while (running && !ClaimedWork.START.equals(cursor));
        if (taken > 0) {
            log.info("Claimed {} work item(s) left unacknowledged for {} or longer", taken, settings.claimIdle());
        }
        if (deleted > 0) {
            log.info("Acknowledged {} pending work item(s) whose entries were deleted", deleted);
        }
    }

    /** Decodes an entry and hands it over; false when it was dropped or is here already. */
    private boolean accept(WorkRecord record) {
        WorkEntry entry = processor.decode(record);
        return entry != null && inFlight.accept(entry);
    }

    private static FairScheduler.Limits limits(WorkerProperties.Worker settings) {
        return new FairScheduler.Limits(settings.maxInFlight(),
                FairScheduler.Limits.shareCap(settings.maxShare(), settings.maxInFlight()), settings.maxHeld(),
                settings.maxInFlightBytes().toBytes());
    }

    /** Waits out a backoff pause; {@link #stop()} cuts it short. */
    private void pause(Duration pause) {
        long deadline = System.nanoTime() + pause.toNanos();
        long left = pause.toNanos();
        while (running && left > 0 && !Thread.currentThread().isInterrupted()) {
            LockSupport.parkNanos(this, left);
            left = deadline - System.nanoTime();
        }
    }
}
