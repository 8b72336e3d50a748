package org.reseq.egress.leader;

import javax.sql.DataSource;
import org.reseq.egress.EgressProperties;
import org.reseq.model.lease.LeadersEndpoint;
import org.reseq.model.lease.LeaseRole;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** {@code /actuator/leaders}: the destinations this egress instance leads. */
@Configuration(proxyBeanMethods = false)
class LeadersEndpointConfiguration {

    @Bean
    LeadersEndpoint leadersEndpoint(EgressLeaseKeeper leases, EgressProperties properties, DataSource dataSource) {
        return new LeadersEndpoint(LeaseRole.EGRESS, properties.instanceId(), leases::keeper, dataSource);
    }
}
