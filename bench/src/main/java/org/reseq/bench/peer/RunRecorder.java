package org.reseq.bench.peer;

import java.util.BitSet;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.reseq.bench.measure.DeliveryTimeline;
import org.reseq.bench.measure.Tally;

/**
 * What happens to the messages of one in-process run, per destination, and the in-flight limit:
 * a destination admits a new arrival only while fewer than {@code inFlightLimit} of its messages
 * are undelivered, as reseq's dispatch window does.
 *
 * <p>Thread-safe: the generator, transform threads and the peer's delivery threads record here.
 */
final class RunRecorder {

    private final DeliveryTimeline[] timelines;
    private final BitSet[] received;
    private final Semaphore[] inFlight;
    private final LongAdder delivered = new LongAdder();
    private final AtomicLong lastDeliveryNanos = new AtomicLong(Long.MIN_VALUE);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean ended;

    RunRecorder(int destinations, int expectedPerDestination, int inFlightLimit) {
        timelines = new DeliveryTimeline[destinations];
        received = new BitSet[destinations];
        inFlight = new Semaphore[destinations];
        for (int d = 0; d < destinations; d++) {
            timelines[d] = new DeliveryTimeline(expectedPerDestination);
            received[d] = new BitSet(expectedPerDestination + 1);
            inFlight[d] = new Semaphore(inFlightLimit);
        }
    }

    /**
     * Waits until {@code destination} has room for one more message in flight.
     *
     * @return false when the deadline passed first or the run failed
     */
    boolean admit(int destination, long deadlineNanos) throws InterruptedException {
        Semaphore permits = inFlight[destination];
        while (failure.get() == null) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return permits.tryAcquire();
            }
            // Bounded waits, so that a failure reported meanwhile stops the generator.
            if (permits.tryAcquire(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)), TimeUnit.NANOSECONDS)) {
                return true;
            }
        }
        return false;
    }

    void arrived(int destination, long sequence, long nanos) {
        timelines[destination].arrived(sequence, nanos);
    }

    /** The message's transform finished now: from here on it could be delivered. */
    void ready(int destination, long sequence) {
        timelines[destination].ready(sequence, System.nanoTime());
    }

    /** The peer's ordered output handed the message on now. */
    void delivered(int destination, long sequence) {
        long now = System.nanoTime();
        timelines[destination].delivered(sequence, now);
        boolean first;
        synchronized (received[destination]) {
            first = !received[destination].get((int) sequence);
            received[destination].set((int) sequence);
        }
        if (first) {
            delivered.increment();
            lastDeliveryNanos.accumulateAndGet(now, Math::max);
            inFlight[destination].release();
        }
    }

    /**
     * The peer failed to take a message; the run stops generating and reports it. Ignored once the
     * run has {@link #end ended}: closing the peer interrupts threads that may still be inside it.
     */
    void failed(Throwable cause) {
        if (!ended) {
            failure.compareAndSet(null, cause);
        }
    }

    /** The figures are taken: whatever the peer does from now on is not the run's. */
    void end() {
        ended = true;
    }

    Throwable failure() {
        return failure.get();
    }

    /** @return distinct messages delivered so far, across destinations */
    long delivered() {
        return delivered.sum();
    }

    /** @return when the last first receipt happened, {@link Long#MIN_VALUE} before any */
    long lastDeliveryNanos() {
        return lastDeliveryNanos.get();
    }

    /** @return the highest sequence {@code destination} received, 0 before any */
    long highestReceived(int destination) {
        synchronized (received[destination]) {
            return Math.max(0, received[destination].length() - 1);
        }
    }

    int destinations() {
        return timelines.length;
    }

    /** Adds sequences 1..{@code expected} of {@code destination} to {@code tally}. */
    void addTo(Tally tally, int destination, int expected) {
        timelines[destination].addTo(tally, expected);
    }
}
