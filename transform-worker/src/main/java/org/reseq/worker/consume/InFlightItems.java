package org.reseq.worker.consume;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The work entries this instance has read and not finished: those running, each on its own
 * virtual thread, and those held until their destination's share of the slots has room, as the
 * {@link FairScheduler} decides. Held entries stay pending in Redis under this consumer, and are
 * reported by {@link #claimedIds()} like running ones so that their claims are kept fresh.
 *
 * <p>Threading: one lock guards the scheduler and the running threads. The consumer loop
 * waits for read room and {@link #accept}s what it read; when an item thread ends, it starts the
 * held entries that may start now before it leaves, so a freed slot never waits for the loop;
 * {@link ClaimRefresher}'s thread reads the ids; the thread that stops the worker calls
 * {@link #leaveHeld()}, then the waiting and interrupting methods.
 */
class InFlightItems {

    private static final Logger log = LoggerFactory.getLogger(InFlightItems.class);

    /** What an item thread runs. */
    @FunctionalInterface
    interface ItemTask {
        void process(WorkEntry entry) throws InterruptedException;
    }

    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled whenever an entry ends or held entries are let go: read room or idleness may follow. */
    private final Condition freed = lock.newCondition();
    /** Guarded by {@link #lock}, like {@link #running} and {@link #leavingHeld}. */
    private final FairScheduler scheduler;
    private final Map<String, Thread> running = new HashMap<>();
    private boolean leavingHeld;
    private final ItemTask task;
    private final WorkerMetrics metrics;

    InFlightItems(FairScheduler.Limits limits, ItemTask task, WorkerMetrics metrics) {
        this.scheduler = new FairScheduler(limits);
        this.task = task;
        this.metrics = metrics;
    }

    /**
     * Waits up to {@code wait} until entries may be read.
     *
     * @return how many may be read now, at most {@code max}; 0 when none became free in time
     */
    int awaitReadRoom(int max, Duration wait) throws InterruptedException {
        lock.lock();
        try {
            long nanos = wait.toNanos();
            int room = scheduler.readRoom(max);
            while (room == 0 && nanos > 0) {
                nanos = freed.awaitNanos(nanos);
                room = scheduler.readRoom(max);
            }
            return room;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes an entry that was read or claimed: it starts at once when a slot within its
     * destination's share is free, and is held otherwise.
     *
     * @return false when this instance has the entry already (running or held): nothing changed
     */
    boolean accept(WorkEntry entry) {
        lock.lock();
        try {
            if (holds(entry.id())) {
                return false;
            }
            scheduler.hold(entry);
            startWhatMayStart();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** True while this instance runs or holds the entry with this id. */
    boolean holds(String id) {
        lock.lock();
        try {
            return running.containsKey(id) || scheduler.isHeld(id);
        } finally {
            lock.unlock();
        }
    }

    /** The ids of the entries this instance runs or holds now (a snapshot): those it must keep claimed. */
    List<String> claimedIds() {
        lock.lock();
        try {
            List<String> ids = new ArrayList<>(running.keySet());
            ids.addAll(scheduler.heldIds());
            return ids;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops starting entries and lets go of the held ones, which were never started: they stay
     * pending in Redis for another worker, and their claims are no longer refreshed.
     *
     * @return how many were let go
     */
    int leaveHeld() {
        lock.lock();
        try {
            leavingHeld = true;
            int left = scheduler.releaseHeld().size();
            publishQueue();
            freed.signalAll();
            return left;
        } finally {
            lock.unlock();
        }
    }

    /** Waits up to {@code grace} until no entry runs; true when that happened. */
    boolean awaitIdle(Duration grace) throws InterruptedException {
        lock.lock();
        try {
            long nanos = grace.toNanos();
            while (!running.isEmpty() && nanos > 0) {
                nanos = freed.awaitNanos(nanos);
            }
            return running.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    /** Interrupts every item thread; each gives up without storing a result or acknowledging. */
    int interruptAll() {
        List<Thread> threads;
        lock.lock();
        try {
            threads = List.copyOf(running.values());
        } finally {
            lock.unlock();
        }
        threads.forEach(Thread::interrupt);
        return threads.size();
    }

    /** Called with the lock held. */
    private void startWhatMayStart() {
        WorkEntry next = leavingHeld ? null : scheduler.nextToStart();
        while (next != null) {
            start(next);
            next = scheduler.nextToStart();
        }
        publishQueue();
    }

    /** Called with the lock held. */
    private void start(WorkEntry entry) {
        Thread thread = Thread.ofVirtual().name("reseq-work-" + entry.id()).unstarted(() -> run(entry));
        running.put(entry.id(), thread);
        metrics.started();
        thread.start();
    }

    private void run(WorkEntry entry) {
        try {
            task.process(entry);
        } catch (InterruptedException e) {
            log.info("Stopped working on entry {}; it stays pending in Redis", entry.id());
        } catch (RuntimeException e) {
            log.warn("Entry {} could not be finished; it stays pending in Redis until it is claimed again: {}",
                    entry.id(), e.toString());
        } finally {
            finished(entry);
        }
    }

    private void finished(WorkEntry entry) {
        lock.lock();
        try {
            running.remove(entry.id());
            scheduler.finished(entry);
            metrics.finished();
            startWhatMayStart();
            freed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Called with the lock held. */
    private void publishQueue() {
        metrics.queued(scheduler.held(), scheduler.bytes());
    }
}
