package org.reseq.egress.leader;

import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.reseq.egress.EgressProperties;
import org.reseq.egress.delivery.DeliveryChannels;
import org.reseq.egress.delivery.DeliveryMetrics;
import org.reseq.model.destination.DestinationRepository;
import org.reseq.model.leader.Mailboxes;
import org.reseq.model.lease.AdvisoryLockLeases;
import org.reseq.model.lease.Cursors;
import org.reseq.model.lease.LeaseKeeper;
import org.reseq.model.lease.LeaseRole;
import org.reseq.model.lease.LeaseTicking;
import org.reseq.model.lease.LockConnections;
import org.reseq.model.tracing.MessageTracing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Runs this instance's EGRESS leases: a {@link LeaseKeeper} ticked every
 * {@code reseq.egress.lease-tick} and at once when a destination was created or deleted (a message
 * on the destinations channel, see {@link ReleasedSignalListener}), which starts an
 * {@link EgressLeader} per destination it leads.
 * Stopping (at shutdown) stops every leader and releases its lease, so another instance takes
 * over at once: a graceful hand-over.
 *
 * <p>Threads: one platform thread ticks the keeper and also closes it, as the keeper expects
 * ({@link LeaseTicking}); {@link #start()} and {@link #stop()} come from Spring's lifecycle and
 * are synchronized; {@link #tickSoon()} runs on the pub/sub thread and never blocks. The
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

    private LeaseKeeper keeper;
    private volatile LeaseTicking ticking;

    EgressLeaseKeeper(DataSourceProperties dataSourceProperties, EgressProperties properties,
                      DestinationRepository destinations, Cursors cursors, OutStream out,
                      DeliveryChannels channels, Mailboxes<Wakeup> mailboxes, DeliveryMetrics metrics, Clock clock,
                      DeliveryDeadLetters deadLetters, Redeliveries redeliveries, HeldHeads heldHeads,
                      MessageTracing tracing) {
        this.dataSourceProperties = dataSourceProperties;
        this.properties = properties;
        this.destinations = destinations;
        this.context = new LeaderContext(destinations::find, cursors, out, channels, mailboxes, metrics, clock,
                properties.egress().pollInterval(), properties.egress().idlePollInterval(),
                properties.egress().gapTimeout(),
                properties.egress().cursorCommitInterval(), deadLetters, redeliveries, heldHeads, tracing);
    }

    @Override
    public synchronized void start() {
        if (keeper != null) {
            return;
        }
        DataSource lockConnections = LockConnections.unpooled(
                properties.leases().jdbcUrl(dataSourceProperties.determineUrl()),
                dataSourceProperties.determineUsername(), dataSourceProperties.determinePassword(),
                properties.leases().timings());
        AdvisoryLockLeases leases = new AdvisoryLockLeases(lockConnections, LeaseRole.EGRESS, properties.instanceId(),
                properties.leases().timings());
        keeper = new LeaseKeeper(leases, destinations::names, destination -> new EgressLeader(destination, context));
        ticking = new LeaseTicking(keeper, properties.egress().leaseTick(), properties.leases().renewInterval(),
                "egress-leases");
        log.info("Egress leases run as {}, ticking every {} ms", properties.instanceId(),
                properties.egress().leaseTick().toMillis());
    }

    /** The keeper while leases run: between {@link #start} and {@link #stop}. */
    public synchronized Optional<LeaseKeeper> keeper() {
        return Optional.ofNullable(keeper);
    }

    /** A destination was created or deleted (destinations channel): tick now, without blocking. */
    void tickSoon() {
        LeaseTicking current = ticking;
        if (current != null) {
            current.tickSoon();
        }
    }

    @Override
    public synchronized void stop() {
        if (keeper == null) {
            return;
        }
        keeper = null;
        ticking.close();
        ticking = null;
    }

    @Override
    public synchronized boolean isRunning() {
        return keeper != null;
    }

    /** The destinations this instance delivers to right now. */
    public synchronized Set<String> leading() {
        return keeper == null ? Set.of() : keeper.leading();
    }
}
