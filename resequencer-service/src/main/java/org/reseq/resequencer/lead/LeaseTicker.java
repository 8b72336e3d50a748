package org.reseq.resequencer.lead;

import java.time.Duration;
import org.reseq.model.lease.LeaseKeeper;
import org.reseq.model.lease.LeaseTicking;
import org.springframework.context.SmartLifecycle;

/**
 * Ticks the {@link LeaseKeeper} from application start to shutdown ({@link LeaseTicking}), and at
 * once whenever a destination was created or deleted ({@link #tickSoon()}, called by the signal
 * listener), so that a new destination gets its leader right away. At shutdown it stops ticking,
 * then closes the keeper: a graceful hand-over.
 *
 * <p>Threads: {@link #tickSoon()} runs on the pub/sub thread and never blocks; start and stop come
 * from Spring's lifecycle.
 */
public final class LeaseTicker implements SmartLifecycle {

    private final LeaseKeeper keeper;
    private final Duration interval;
    private final Duration renewInterval;
    private volatile LeaseTicking ticking;

    LeaseTicker(LeaseKeeper keeper, Duration interval, Duration renewInterval) {
        this.keeper = keeper;
        this.interval = interval;
        this.renewInterval = renewInterval;
    }

    @Override
    public synchronized void start() {
        if (ticking == null) {
            ticking = new LeaseTicking(keeper, interval, renewInterval, "resequencer-lease-tick");
        }
    }

    /** A destination was created or deleted: tick now, besides the schedule. */
    public void tickSoon() {
        LeaseTicking current = ticking;
        if (current != null) {
            current.tickSoon();
        }
    }

    @Override
    public synchronized void stop() {
        if (ticking != null) {
            ticking.close();
            ticking = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return ticking != null;
    }
}
