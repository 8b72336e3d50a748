package org.reseq.worker.consume;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.reseq.worker.WorkerProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The consumer loop: reads work from the work stream through the worker group, as many entries
 * as there are free in-flight permits (at most {@value #MAX_READ} per read), and hands each to
 * its own virtual thread. Every {@code claim-interval} it also claims entries another worker left
 * unacknowledged for {@code claim-idle} (that worker presumably died).
 *
 * <p>Threading: one platform thread, {@code reseq-work-consumer}, owns the loop and the group
 * state; item threads are managed by {@link InFlightItems}. {@link #stop()} runs on the thread
 * that closes the context: it ends the loop, waits up to {@code shutdown-grace} for in-flight
 * items, then interrupts the rest, which stay pending in Redis for another worker.
 */
@Component
class WorkConsumer implements SmartLifecycle {

    static final int MAX_READ = 100;
    static final Duration BLOCK = Duration.ofSeconds(1);
    private static final Duration ERROR_PAUSE = Duration.ofSeconds(1);
    private static final Duration INTERRUPTED_ITEMS_WAIT = Duration.ofSeconds(2);
    private static final Logger log = LoggerFactory.getLogger(WorkConsumer.class);

    private final RedisWorkStream stream;
    private final WorkItemProcessor processor;
    private final InFlightItems inFlight;
    private final Clock clock;
    private final String consumer;
    private final WorkerProperties.Worker settings;

    private volatile boolean running;
    private Thread loop;

    WorkConsumer(RedisWorkStream stream, WorkItemProcessor processor, WorkerMetrics metrics, Clock clock,
            WorkerProperties properties) {
        this.stream = stream;
        this.processor = processor;
        this.clock = clock;
        this.consumer = properties.instanceId();
        this.settings = properties.worker();
        this.inFlight = new InFlightItems(settings.maxInFlight(), metrics);
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        boolean groupReady = createGroup();
        loop = Thread.ofPlatform().name("reseq-work-consumer").start(() -> consume(groupReady));
        log.info("Consuming work as '{}', at most {} items at once", consumer, settings.maxInFlight());
    }

    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        try {
            loop.join(BLOCK.plus(ERROR_PAUSE).plusSeconds(5));
            if (!inFlight.awaitIdle(settings.shutdownGrace())) {
                int left = inFlight.interruptAll();
                log.warn("{} work item(s) unfinished after {}; they stay pending in Redis", left,
                        settings.shutdownGrace());
                inFlight.awaitIdle(INTERRUPTED_ITEMS_WAIT);
            }
        } catch (InterruptedException e) {
            inFlight.interruptAll();
            Thread.currentThread().interrupt();
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
        boolean groupReady = groupCreated;
        long nextClaimAt = clock.millis();
        while (running) {
            try {
                if (!groupReady) {
                    stream.ensureGroup();
                    groupReady = true;
                }
                if (clock.millis() >= nextClaimAt) {
                    claimAbandoned();
                    nextClaimAt = clock.millis() + settings.claimInterval().toMillis();
                }
                readOnce();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // Whatever went wrong, check the group again before the next read: it is cheap and
                // it is what a flushed Redis needs.
                groupReady = false;
                if (RedisWorkStream.isMissingGroup(e)) {
                    log.warn("The work stream or its consumer group is gone (Redis flushed?); creating it again");
                } else {
                    log.warn("Reading work failed; retrying in {}: {}", ERROR_PAUSE, e.toString());
                    pause();
                }
            }
        }
    }

    private void readOnce() throws InterruptedException {
        int reserved = inFlight.reserve(MAX_READ, BLOCK);
        if (reserved == 0) {
            return;
        }
        List<WorkRecord> records = List.of();
        try {
            records = stream.read(consumer, reserved, BLOCK);
        } finally {
            inFlight.release(reserved - records.size());
        }
        records.forEach(record -> inFlight.start(record, processor::process));
    }

    private void claimAbandoned() throws InterruptedException {
        int reserved = inFlight.reserve(MAX_READ, Duration.ZERO);
        if (reserved == 0) {
            return;
        }
        List<WorkRecord> claimed = List.of();
        try {
            claimed = stream.claimIdle(consumer, settings.claimIdle(), reserved, inFlight::isRunning);
        } finally {
            inFlight.release(reserved - claimed.size());
        }
        if (!claimed.isEmpty()) {
            log.info("Claimed {} work item(s) left unacknowledged for {} or longer", claimed.size(),
                    settings.claimIdle());
        }
        claimed.forEach(record -> inFlight.start(record, processor::process));
    }

    private void pause() {
        try {
            Thread.sleep(ERROR_PAUSE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
