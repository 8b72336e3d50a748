package org.reseq.egress.leader;

import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.reseq.egress.EgressProperties;
import org.reseq.model.leader.JdbcFingerprints;
import org.reseq.model.leader.LeaderSweep;
import org.reseq.model.leader.Mailboxes;
import org.reseq.model.lease.LeaseKeeper;
import org.reseq.model.redis.RedisFingerprints;
import org.reseq.model.redis.RedisKeys;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The safety net for lost signals of quiet egress leaders: one look at all led destinations per
 * idle poll interval ({@link LeaderSweep}). The fingerprint holds what can change while an egress
 * leader is quiet: the configuration and pause flag and the resequencer's released cursor
 * (PostgreSQL), and the out stream, the operators' redeliveries and the egress fence (Redis).
 */
@Configuration(proxyBeanMethods = false)
class SweepConfiguration {

    @Bean
    LeaderSweep egressSweep(EgressLeaseKeeper leases, EgressProperties properties, DataSource dataSource,
                            StringRedisTemplate strings, RedisKeys keys, Mailboxes<Wakeup> egressMailboxes) {
        Duration interval = properties.egress().idlePollInterval();
        return new LeaderSweep("egress", interval,
                () -> leases.keeper().map(LeaseKeeper::leases).orElse(List.of()), List.of(
                new JdbcFingerprints(dataSource, """
                        select d.name, d.id, d.updated_at, coalesce(r.position, 0)
                          from destination d
                          left join destination_cursor r on r.destination = d.name and r.role = 'RESEQUENCER'
                         where d.name = any(?)"""),
                new RedisFingerprints(strings,
                        incarnation -> List.of(keys.out(incarnation), keys.redeliveries(incarnation),
                                keys.egressFence(incarnation)),
                        interval)),
                destination -> egressMailboxes.route(destination, Wakeup.CHANGED));
    }
}
