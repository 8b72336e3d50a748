package org.reseq.model.tracing;

import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@link MessageTracing} on the tracer and propagator Spring Boot configures (OpenTelemetry, W3C
 * propagation); without them (tracing turned off with {@code management.tracing.enabled=false}),
 * one that traces nothing and stores no trace context.
 */
@Configuration(proxyBeanMethods = false)
public class MessageTracingConfiguration {

    @Bean
    MessageTracing messageTracing(ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
        return new MessageTracing(tracer.getIfAvailable(() -> Tracer.NOOP),
                propagator.getIfAvailable(() -> Propagator.NOOP));
    }
}
