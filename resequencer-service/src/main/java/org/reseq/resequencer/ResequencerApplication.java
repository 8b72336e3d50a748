package org.reseq.resequencer;

import org.reseq.model.health.ReadinessGaugeConfiguration;
import org.reseq.model.tracing.MessageTracingConfiguration;
import org.reseq.model.security.SuiteSecurityConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;

/**
 * The resequencer: for each destination whose lease it holds, it dispatches a bounded window of
 * deliveries to the transform workers and releases their results strictly in sequence order.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@Import({SuiteSecurityConfiguration.class, ReadinessGaugeConfiguration.class,
        MessageTracingConfiguration.class})
public class ResequencerApplication {

    public static void main(String[] args) {
        SpringApplication.run(ResequencerApplication.class, args);
    }
}
