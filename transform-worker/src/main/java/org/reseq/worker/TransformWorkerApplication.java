package org.reseq.worker;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The transform worker: consumes work items from the Redis work stream through a consumer
 * group, runs each destination's transform chain (many at once, on virtual threads) and stores
 * the results in the destinations' done buffers for the resequencer.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class TransformWorkerApplication {

    public static void main(String[] args) {
        SpringApplication.run(TransformWorkerApplication.class, args);
    }
}
