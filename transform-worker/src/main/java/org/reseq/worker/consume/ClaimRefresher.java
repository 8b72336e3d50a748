package org.reseq.worker.consume;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this instance's claims on the entries it is working on fresh, so that a transform that
 * runs longer than {@code claim-idle}, or an entry held until its destination's share has room,
 * is not taken over by another worker while this one is alive: every third of {@code claim-idle}
 * it resets the idle time of every entry it runs or holds ({@link RedisWorkStream#refreshClaims},
 * one call per batch of ids). A crashed instance stops refreshing, so its entries become idle and
 * are claimed by the others.
 *
 * <p>Threading: owns one thread, {@code reseq-work-claims}, between {@link #start()} and
 * {@link #stop()}; it only reads a snapshot of the claimed ids, which {@link InFlightItems}
 * takes under its lock. Its own refresh pass never waits for the consumer loop, whose blocking
 * reads could otherwise delay it past {@code claim-idle}.
 */
class ClaimRefresher {

    /** Ids per script call: bounded so one call never holds Redis long. */
    static final int BATCH = 500;
    private static final Logger log = LoggerFactory.getLogger(ClaimRefresher.class);

    private final RedisWorkStream stream;
    private final InFlightItems inFlight;
    private final String consumer;
    private final Duration period;
    private final Outage outage;

    private volatile boolean running;
    private Thread thread;

    ClaimRefresher(RedisWorkStream stream, InFlightItems inFlight, String consumer, Duration claimIdle, Clock clock) {
        this.stream = stream;
        this.inFlight = inFlight;
        this.consumer = consumer;
        this.period = claimIdle.dividedBy(3);
        this.outage = new Outage("Keeping the claims of running work items fresh", log, clock);
    }

    synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = Thread.ofPlatform().daemon().name("reseq-work-claims").start(this::refreshUntilStopped);
    }

    synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Refreshes the claims of every entry running or held now.
     *
     * @return how many entries were taken over by another worker although this one still has
     *     them (both will store the same result, which is harmless)
     */
    int refreshOnce() {
        List<String> ids = inFlight.claimedIds();
        int lost = 0;
        for (int from = 0; from < ids.size(); from += BATCH) {
            List<String> batch = ids.subList(from, Math.min(ids.size(), from + BATCH));
            // Taken over: this instance missed refreshing it in time (a pause, a slow Redis).
            lost += stream.refreshClaims(consumer, batch).takenOver().size();
        }
        if (lost > 0) {
            log.warn("{} work item(s) still running or held here were taken over by another worker; both store "
                    + "the same result, which is harmless", lost);
        }
        return lost;
    }

    private void refreshUntilStopped() {
        Duration wait = period;
        while (running) {
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                return;
            }
            try {
                refreshOnce();
                outage.succeeded();
                wait = period;
            } catch (RuntimeException e) {
                // Retry sooner than a period: the claims are getting older meanwhile.
                Duration pause = outage.failed(RedisWorkStream.isMissingGroup(e)
                        ? "the work stream or its group is gone" : "Redis failed", e);
                wait = pause.compareTo(period) < 0 ? pause : period;
            }
        }
    }
}
