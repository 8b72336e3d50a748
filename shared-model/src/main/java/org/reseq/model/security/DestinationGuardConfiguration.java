package org.reseq.model.security;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import org.reseq.model.guard.AddressResolver;
import org.reseq.model.guard.DestinationGuard;
import org.reseq.model.guard.DestinationRules;
import org.reseq.model.guard.StoreEndpoint;
import org.reseq.model.guard.SuiteStores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * The {@link DestinationGuard} of a service that sends to destinations or saves them (ingress,
 * egress, transform worker), built from {@link SecurityProperties} and the service's own store
 * settings: on a Redis Cluster, also every node the cluster lists ({@link RedisClusterNodes}). Each
 * of those services imports this configuration; none builds a guard otherwise.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SecurityProperties.class)
public class DestinationGuardConfiguration {

    private static final Logger log = LoggerFactory.getLogger(DestinationGuardConfiguration.class);

    @Bean
    DestinationGuard destinationGuard(SecurityProperties security, Environment environment,
                                      ObjectProvider<RedisConnectionFactory> redis) {
        List<StoreEndpoint> endpoints = new ArrayList<>(StoreEndpoints.of(environment));
        if (StoreEndpoints.redisCluster(environment)) {
            redis.ifAvailable(connectionFactory -> endpoints.addAll(RedisClusterNodes.of(connectionFactory)));
        }
        SuiteStores stores = SuiteStores.resolve(endpoints, AddressResolver.SYSTEM, ownAddresses());
        for (StoreEndpoint unresolved : stores.unresolved()) {
            log.warn("The destination guard cannot resolve the {} host {}: destinations are not kept from it by"
                    + " address", unresolved.store(), unresolved.host());
        }
        DestinationRules rules = new DestinationRules(security.enabled(), security.destinations().allowList(),
                security.destinations().denyList(), stores);
        return new DestinationGuard(rules, AddressResolver.SYSTEM);
    }

    /** This machine's addresses, as its network interfaces have them at start-up. */
    private static List<InetAddress> ownAddresses() {
        try {
            return NetworkInterface.networkInterfaces().flatMap(NetworkInterface::inetAddresses).toList();
        } catch (SocketException e) {
            log.warn("Cannot list this machine's network interfaces ({}): the destination guard protects the"
                    + " stores on this machine at loopback addresses only", e.getMessage());
            return List.of();
        }
    }
}
