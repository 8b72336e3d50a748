package org.reseq.bench.peer;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs every message's transform in parallel with the others and hands each finished one to a
 * peer's {@link Resequencer}.
 *
 * <p>A transform of t ms finishes t ms after its arrival, by a scheduled task; a transform of no
 * cost is a task of its own on the same small pool, so that finishing order can still differ from
 * arrival order, as it does between reseq's workers. The finished message is then handed to the
 * resequencer by another pool: a resequencer that is slow to take messages (JDBC) delays
 * neither the transforms nor their recorded completion, so the wait for it counts as its overhead,
 * not as transform time.
 */
final class ParallelTransforms implements Stage {

    static final int TRANSFORM_THREADS = 2;
    /** Threads that call the resequencer: more than cores, as senders into it would be. */
    static final int HANDOFF_THREADS = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());

    private final Resequencer resequencer;
    private final RunRecorder recorder;
    private final ScheduledThreadPoolExecutor transforms;
    private final ExecutorService handoff;

    ParallelTransforms(Resequencer resequencer, RunRecorder recorder) {
        this.resequencer = resequencer;
        this.recorder = recorder;
        this.transforms = new ScheduledThreadPoolExecutor(TRANSFORM_THREADS, daemons("transform"));
        this.handoff = Executors.newFixedThreadPool(HANDOFF_THREADS, daemons("handoff"));
    }

    /** A stage factory for the resequencer {@code factory} builds. */
    static Stage.Factory around(int destinations, Resequencer.Factory factory) {
        return recorder -> new ParallelTransforms(factory.open(destinations, recorder), recorder);
    }

    @Override
    public void arrived(int destination, long sequence, long transformMillis, long arrivedNanos) {
        Runnable finish = () -> finished(destination, sequence);
        if (transformMillis == 0) {
            transforms.execute(finish);
        } else {
            long delay = arrivedNanos + TimeUnit.MILLISECONDS.toNanos(transformMillis) - System.nanoTime();
            transforms.schedule(finish, delay, TimeUnit.NANOSECONDS);
        }
    }

    private void finished(int destination, long sequence) {
        recorder.ready(destination, sequence);
        handoff.execute(() -> {
            try {
                resequencer.accept(destination, sequence);
            } catch (Exception | Error e) {
                recorder.failed(e);
            }
        });
    }

    @Override
    public void close() throws Exception {
        transforms.shutdownNow();
        handoff.shutdownNow();
        transforms.awaitTermination(10, TimeUnit.SECONDS);
        handoff.awaitTermination(10, TimeUnit.SECONDS);
        resequencer.close();
    }

    static ThreadFactory daemons(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
