package org.reseq.worker.consume;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.reseq.model.redis.TransformResult;
import org.springframework.stereotype.Component;

/**
 * The worker's meters: {@code reseq.worker.in-flight} (items being worked on now),
 * {@code reseq.worker.in-flight.peak} (the most at once since start, to size
 * {@code max-in-flight}), {@code reseq.worker.held} (items read and waiting for a slot within
 * their destination's share), {@code reseq.worker.work.bytes} (bytes of the items held and
 * running, bounded by {@code max-in-flight-bytes}),
 * {@code reseq.worker.completed} / {@code reseq.worker.failed} (results
 * stored), {@code reseq.worker.dropped} (undecodable entries discarded),
 * {@code reseq.worker.claimed} (entries taken over from workers that left them idle),
 * {@code reseq.worker.consumers.removed} (gone consumers removed from the worker group) and
 * {@code reseq.worker.transform} (time to transform one item, all attempts, by outcome).
 * Thread-safe.
 */
@Component
class WorkerMetrics {

    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();
    private final AtomicInteger held = new AtomicInteger();
    private final AtomicLong workBytes = new AtomicLong();
    private final Counter completed;
    private final Counter failed;
    private final Counter dropped;
    private final Counter claimed;
    private final Counter consumersRemoved;
    private final Timer succeededTransforms;
    private final Timer failedTransforms;

    WorkerMetrics(MeterRegistry registry) {
        Gauge.builder("reseq.worker.in-flight", inFlight, AtomicInteger::get)
                .description("Work items being transformed now").register(registry);
        Gauge.builder("reseq.worker.in-flight.peak", peak, AtomicInteger::get)
                .description("Most work items transformed at once since start").register(registry);
        Gauge.builder("reseq.worker.held", held, AtomicInteger::get)
                .description("Work items read and waiting for a slot within their destination's share")
                .register(registry);
        Gauge.builder("reseq.worker.work.bytes", workBytes, AtomicLong::get).baseUnit("bytes")
                .description("Bytes of the work items held and running").register(registry);
        completed = Counter.builder("reseq.worker.completed")
                .description("Successful results stored").register(registry);
        failed = Counter.builder("reseq.worker.failed")
                .description("Failed results stored after the last attempt").register(registry);
        dropped = Counter.builder("reseq.worker.dropped")
                .description("Work stream entries discarded because they could not be decoded").register(registry);
        claimed = Counter.builder("reseq.worker.claimed")
                .description("Work stream entries taken over from workers that left them idle").register(registry);
        consumersRemoved = Counter.builder("reseq.worker.consumers.removed")
                .description("Gone consumers removed from the worker group: idle and with nothing pending")
                .register(registry);
        succeededTransforms = Timer.builder("reseq.worker.transform").tag("outcome", "ok")
                .description("Time to transform one item, all attempts").register(registry);
        failedTransforms = Timer.builder("reseq.worker.transform").tag("outcome", "failed")
                .description("Time to transform one item, all attempts").register(registry);
    }

    void started() {
        peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
    }

    void finished() {
        inFlight.decrementAndGet();
    }

    void queued(int heldItems, long bytes) {
        held.set(heldItems);
        workBytes.set(bytes);
    }

    void transformed(TransformResult result, long nanos) {
        (result.ok() ? succeededTransforms : failedTransforms).record(nanos, TimeUnit.NANOSECONDS);
    }

    void stored(TransformResult result) {
        (result.ok() ? completed : failed).increment();
    }

    void dropped() {
        dropped.increment();
    }

    void claimed(int count) {
        claimed.increment(count);
    }

    void consumersRemoved(int count) {
        consumersRemoved.increment(count);
    }
}
