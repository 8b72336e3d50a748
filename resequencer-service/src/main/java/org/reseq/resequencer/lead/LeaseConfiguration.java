package org.reseq.resequencer.lead;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.reseq.model.destination.DestinationRepository;
import org.reseq.model.leader.JdbcFingerprints;
import org.reseq.model.leader.LeaderSweep;
import org.reseq.model.leader.Mailboxes;
import org.reseq.model.lease.AdvisoryLockLeases;
import org.reseq.model.lease.LeadersEndpoint;
import org.reseq.model.lease.LeaseKeeper;
import org.reseq.model.lease.LeaseRole;
import org.reseq.model.lease.LockConnections;
import org.reseq.model.redis.RedisFingerprints;
import org.reseq.model.redis.RedisKeys;
import org.reseq.resequencer.ResequencerProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;

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

    /**
     * The safety net for lost signals of quiet destinations: one look at all led destinations per
     * idle poll interval. The fingerprint holds what can change while a leader is quiet: new
     * messages, the delivered cursor, the configuration and pause flag (PostgreSQL), and the
     * fence, egress's rewind request and the operators' commands (Redis).
     */
    @Bean
    LeaderSweep leaderSweep(LeaseKeeper resequencerLeaseKeeper, ResequencerProperties properties,
                            DataSource dataSource, StringRedisTemplate strings, RedisKeys keys,
                            Mailboxes<Wakeup> mailboxes) {
        Duration interval = properties.resequencer().idlePollInterval();
        return new LeaderSweep("resequencer", interval, resequencerLeaseKeeper::leases, List.of(
                new JdbcFingerprints(dataSource, """
                        select d.name, d.id, s.last_sequence, coalesce(c.position, 0), d.updated_at
                          from destination d
                          join destination_sequence s on s.destination = d.name
                          left join destination_cursor c on c.destination = d.name and c.role = 'EGRESS'
                         where d.name = any(?)"""),
                new RedisFingerprints(strings,
                        incarnation -> List.of(keys.fence(incarnation), keys.rewind(incarnation),
                                keys.commands(incarnation)),
                        interval)),
                destination -> mailboxes.route(destination, Wakeup.changed(destination)));
    }

    @Bean
    LeaseTicker leaseTicker(LeaseKeeper resequencerLeaseKeeper, ResequencerProperties properties) {
        return new LeaseTicker(resequencerLeaseKeeper, properties.resequencer().leaseTick(),
                properties.leases().renewInterval());
    }
}
