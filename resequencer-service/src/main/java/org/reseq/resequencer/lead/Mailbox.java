package org.reseq.resequencer.lead;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.reseq.model.redis.Signal;

/**
 * The queue through which signals reach one leader. The signal listener posts (never blocks),
 * the leader's thread takes.
 *
 * <p>Bounded: when the leader falls behind, further signals are dropped. That is safe because
 * signals are only hints; the leader polls PostgreSQL and Redis and finds the same facts there.
 */
final class Mailbox {

    private static final int CAPACITY = 16_384;
    /** Wakes the leader without telling it anything; never handed out by {@link #take}. */
    private static final Wakeup NUDGE = new Wakeup(Wakeup.Kind.DELIVERED, Signal.delivered("", 0));

    private final BlockingQueue<Wakeup> queue = new ArrayBlockingQueue<>(CAPACITY);

    /** Called by the signal listener thread; returns false when the wake-up was dropped. */
    boolean post(Wakeup wakeup) {
        return queue.offer(wakeup);
    }

    /** Wakes the leader's thread from its wait, so that it looks at its stop flag now. Any thread. */
    void nudge() {
        queue.offer(NUDGE);
    }

    /**
     * Called by the leader's thread: waits up to {@code timeout} for a wake-up, then drains all.
     *
     * @return every waiting wake-up, empty when the timeout passed first
     */
    List<Wakeup> take(Duration timeout) throws InterruptedException {
        Wakeup first = queue.poll(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
        if (first == null) {
            return List.of();
        }
        List<Wakeup> all = new ArrayList<>();
        all.add(first);
        queue.drainTo(all);
        all.removeIf(wakeup -> wakeup == NUDGE);
        return all;
    }
}
