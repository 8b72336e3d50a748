package org.reseq.egress.leader;

import java.time.Clock;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.reseq.egress.EgressProperties;
import org.reseq.egress.delivery.DeliveryChannels;
import org.reseq.egress.delivery.DeliveryMetrics;
import org.reseq.model.destination.DestinationRepository;
import org.reseq.model.failure.DeadLetters;
import org.reseq.model.lease.AdvisoryLockLeases;
import org.reseq.model.lease.FencedCursors;
import org.reseq.model.lease.LeaseKeeper;
import org.reseq.model.lease.LeaseRole;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Runs this instance's EGRESS leases: a {@link LeaseKeeper} ticked every
 * {@code reseq.egress.lease-tick}, which starts an {@link EgressLeader} per destination it leads.
 * Stopping (at shutdown) stops every leader and releases its lease, so another instance takes
 * over at once: a graceful hand-over.
 *
 * <p>Threads: one platform thread ticks the keeper and also closes it, as the keeper expects;
 * {@link #start()} and {@link #stop()} come from Spring's lifecycle and are synchronized. The
 * lock connection comes from its own unpooled data source: a pool could hand a connection that
 * still holds locks to someone else.
 */
@Component
public class EgressLeaseKeeper implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(EgressLeaseKeeper.class);

    private final DataSourceProperties dataSourceProperties;
    private final EgressProperties properties;
    private final DestinationRepository destinations;
    private final LeaderContext context;

    private ScheduledExecutorService scheduler;
    private LeaseKeeper keeper;

    EgressLeaseKeeper(DataSourceProperties dataSourceProperties, EgressProperties properties,
                      DestinationRepository destinations, FencedCursors cursors, OutStream out,
                      DeliveryChannels channels, LeaderMailboxes mailboxes, DeliveryMetrics metrics, Clock clock,
                      DeadLetters deadLetters, Redeliveries redeliveries) {
        this.dataSourceProperties = dataSourceProperties;
        this.properties = properties;
        this.destinations = destinations;
        this.context = new LeaderContext(destinations, cursors, out, channels, mailboxes, metrics, clock,
                properties.egress().pollInterval(), properties.egress().gapTimeout(),
                properties.egress().cursorCommitInterval(), deadLetters, redeliveries);
    }

    @Override
    public synchronized void start() {
        if (keeper != null) {
            return;
        }
        DataSource lockConnections = AdvisoryLockLeases.unpooled(dataSourceProperties.determineUrl(),
                dataSourceProperties.determineUsername(), dataSourceProperties.determinePassword());
        AdvisoryLockLeases leases = new AdvisoryLockLeases(lockConnections, LeaseRole.EGRESS, properties.instanceId());
        LeaseKeeper started = new LeaseKeeper(leases, destinations::names,
                destination -> new EgressLeader(destination, context));
        scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("egress-leases").factory());
        long tick = properties.egress().leaseTick().toMillis();
        scheduler.scheduleWithFixedDelay(() -> tick(started), 0, tick, TimeUnit.MILLISECONDS);
        keeper = started;
        log.info("Egress leases run as {}, ticking every {} ms", properties.instanceId(), tick);
    }

    @Override
    public synchronized void stop() {
        if (keeper == null) {
            return;
        }
        LeaseKeeper stopping = keeper;
        keeper = null;
        // Queued behind a tick in progress, on the ticking thread; shutdown() drops later ticks.
        Future<?> closed = scheduler.submit(stopping::close);
        scheduler.shutdown();
        try {
            closed.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("Egress leases did not close cleanly; PostgreSQL frees them with the session", e);
        }
        scheduler.shutdownNow();
        scheduler = null;
    }

    @Override
    public synchronized boolean isRunning() {
        return keeper != null;
    }

    /** The destinations this instance delivers to right now. */
    public synchronized Set<String> leading() {
        return keeper == null ? Set.of() : keeper.leading();
    }

    private static void tick(LeaseKeeper keeper) {
        try {
            keeper.tick();
        } catch (RuntimeException e) {
            // A periodic task that throws is never run again: keep ticking whatever happened.
            log.warn("Egress lease tick failed", e);
        }
    }
}
