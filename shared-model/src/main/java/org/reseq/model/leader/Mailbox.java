package org.reseq.model.leader;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The queue through which one leader is woken: signals and announced changes for its destination.
 * Other threads post and never block; the leader's own thread takes.
 *
 * <p>Bounded: when the leader falls behind, further messages are dropped. That is safe because
 * they are only hints: a leader polls PostgreSQL and Redis and finds the same facts there.
 *
 * @param <M> what wakes the leader
 */
public final class Mailbox<M> {

    private static final int CAPACITY = 16_384;
    /** Wakes the leader without telling it anything; never handed out by {@link #take}. */
    private static final Object NUDGE = new Object();

    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(CAPACITY);

    /** Any thread; returns false when the message was dropped. */
    public boolean post(M message) {
        return queue.offer(message);
    }

    /** Wakes the leader's thread from its wait, so that it looks at its stop flag now. Any thread. */
    public void nudge() {
        queue.offer(NUDGE);
    }

    /**
     * The leader's thread only: waits up to {@code timeout} for a message, then drains all.
     *
     * @return every waiting message, empty when the timeout passed first (or only a nudge came)
     */
    @SuppressWarnings("unchecked")
    public List<M> take(Duration timeout) throws InterruptedException {
        Object first = queue.poll(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
        if (first == null) {
            return List.of();
        }
        List<Object> all = new ArrayList<>();
        all.add(first);
        queue.drainTo(all);
        all.removeIf(message -> message == NUDGE);
        return (List<M>) (List<?>) all;
    }
}
