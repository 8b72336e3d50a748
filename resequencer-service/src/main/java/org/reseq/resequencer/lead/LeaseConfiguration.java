package org.reseq.resequencer.lead;

import java.util.Optional;
import javax.sql.DataSource;
import org.reseq.model.destination.DestinationRepository;
import org.reseq.model.leader.Mailboxes;
import org.reseq.model.lease.AdvisoryLockLeases;
import org.reseq.model.lease.LeadersEndpoint;
import org.reseq.model.lease.LeaseKeeper;
import org.reseq.model.lease.LeaseRole;
import org.reseq.model.lease.LockConnections;
import org.reseq.resequencer.ResequencerProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The RESEQUENCER leases of this instance, the ticker that keeps them and its leaders' mailboxes. */
@Configuration(proxyBeanMethods = false)
class LeaseConfiguration {

    /** Closed by {@link LeaseTicker} after its last tick, not by the container. */
    @Bean(destroyMethod = "")
    LeaseKeeper resequencerLeaseKeeper(DataSourceProperties dataSource, ResequencerProperties properties,
                                       DestinationRepository destinations, LeaderFactory leaders) {
        // the lock connection must not come from the pool: its session holds the locks
        AdvisoryLockLeases leases = new AdvisoryLockLeases(
                LockConnections.unpooled(properties.leases().jdbcUrl(dataSource.determineUrl()),
                        dataSource.determineUsername(), dataSource.determinePassword(), properties.leases().timings()),
                LeaseRole.RESEQUENCER, properties.instanceId(), properties.leases().timings());
        LeaseKeeper.Balance balance = LeaseKeeper.Balance.defaults().withLiveness(properties.resequencer().liveness());
        return new LeaseKeeper(leases, destinations::names, leaders::create, balance);
    }

    /** {@code /actuator/leaders}: the destinations this instance leads. */
    @Bean
    LeadersEndpoint leadersEndpoint(LeaseKeeper resequencerLeaseKeeper, ResequencerProperties properties,
                                    DataSource dataSource) {
        return new LeadersEndpoint(LeaseRole.RESEQUENCER, properties.instanceId(),
                () -> Optional.of(resequencerLeaseKeeper), dataSource);
    }

    /** Where the signal listener routes wake-ups to this instance's leaders. */
    @Bean
    Mailboxes<Wakeup> mailboxes() {
        return new Mailboxes<>();
    }

    @Bean
    LeaseTicker leaseTicker(LeaseKeeper resequencerLeaseKeeper, ResequencerProperties properties) {
        return new LeaseTicker(resequencerLeaseKeeper, properties.resequencer().leaseTick(),
                properties.leases().renewInterval());
    }
}
