package org.reseq.worker.consume;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The work items this instance is transforming, each on its own virtual thread, bounded by a
 * semaphore of {@code capacity} permits: a permit is reserved before an entry is read and
 * released when its thread ends, so the instance never reads more than it can run.
 *
 * <p>Threading: {@link #reserve} and {@link #start} are called by the consumer loop only;
 * item threads release their permit and leave the registry themselves; {@link #isRunning} and
 * the shutdown methods may be called from any thread.
 */
class InFlightItems {

    private static final Logger log = LoggerFactory.getLogger(InFlightItems.class);

    /** What an item thread runs. */
    @FunctionalInterface
    interface ItemTask {
        void process(WorkRecord record) throws InterruptedException;
    }

    private final int capacity;
    private final Semaphore permits;
    private final Map<String, Thread> running = new ConcurrentHashMap<>();
    private final WorkerMetrics metrics;

    InFlightItems(int capacity, WorkerMetrics metrics) {
        this.capacity = capacity;
        this.permits = new Semaphore(capacity);
        this.metrics = metrics;
    }

    /**
     * Reserves permits for the next read: waits up to {@code wait} for the first, then takes as
     * many more as are free, {@code max} in all.
     *
     * @return how many were reserved, 0 when none became free in time
     */
    int reserve(int max, Duration wait) throws InterruptedException {
        if (!permits.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS)) {
            return 0;
        }
        // Only this (the loop) thread acquires, so what is available now stays available.
        int more = Math.min(max - 1, permits.availablePermits());
        return more > 0 && permits.tryAcquire(more) ? 1 + more : 1;
    }

    /** Returns reserved permits that were not used. */
    void release(int unused) {
        if (unused > 0) {
            permits.release(unused);
        }
    }

    /** Runs {@code task} on a new virtual thread, using one reserved permit. */
    void start(WorkRecord record, ItemTask task) {
        Thread thread = Thread.ofVirtual().name("reseq-work-" + record.id()).unstarted(() -> run(record, task));
        running.put(record.id(), thread);
        metrics.started();
        thread.start();
    }

    /** True while this instance is working on the entry with this id. */
    boolean isRunning(String id) {
        return running.containsKey(id);
    }

    /** The ids of the entries this instance is working on now (a snapshot). */
    List<String> runningIds() {
        return List.copyOf(running.keySet());
    }

    /** Waits up to {@code grace} until no item is in flight; true when that happened. */
    boolean awaitIdle(Duration grace) throws InterruptedException {
        if (!permits.tryAcquire(capacity, grace.toMillis(), TimeUnit.MILLISECONDS)) {
            return false;
        }
        permits.release(capacity);
        return true;
    }

    /** Interrupts every item thread; each gives up without storing a result or acknowledging. */
    int interruptAll() {
        List<Thread> threads = List.copyOf(running.values());
        threads.forEach(Thread::interrupt);
        return threads.size();
    }

    private void run(WorkRecord record, ItemTask task) {
        try {
            task.process(record);
        } catch (InterruptedException e) {
            log.info("Stopped working on entry {}; it stays pending in Redis", record.id());
        } catch (RuntimeException e) {
            log.warn("Entry {} could not be finished; it stays pending in Redis until it is claimed again: {}",
                    record.id(), e.toString());
        } finally {
            running.remove(record.id(), Thread.currentThread());
            metrics.finished();
            permits.release();
        }
    }
}
