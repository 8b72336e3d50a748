package org.reseq.model.health;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.actuate.endpoint.HealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@code reseq.ready}: 1 while the instance's readiness group ({@code /actuator/health/readiness})
 * is UP, 0 otherwise, so that an alert sees an instance that runs but is out of rotation (a store
 * out of reach) as well as one that is gone ({@code up == 0}). Evaluated on each scrape, the way
 * a readiness probe would be.
 */
@Configuration(proxyBeanMethods = false)
public class ReadinessGaugeConfiguration {

    static final String READINESS_GROUP = "readiness";

    @Bean
    MeterBinder readinessGauge(ObjectProvider<HealthEndpoint> health) {
        return registry -> Gauge.builder("reseq.ready", health, ReadinessGaugeConfiguration::ready)
                .description("1 while the readiness group is UP, else 0").strongReference(true).register(registry);
    }

    static double ready(ObjectProvider<HealthEndpoint> health) {
        HealthEndpoint endpoint = health.getIfAvailable();
        if (endpoint == null) {
            return 0;
        }
        try {
            HealthDescriptor readiness = endpoint.healthForPath(READINESS_GROUP);
            return readiness != null && Status.UP.equals(readiness.getStatus()) ? 1 : 0;
        } catch (RuntimeException e) {
            return 0;
        }
    }
}
