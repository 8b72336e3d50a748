package org.reseq.egress;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/** Delivers each destination's released messages in sequence order, one leader per destination. */
@SpringBootApplication
@EnableConfigurationProperties(EgressProperties.class)
public class EgressApplication {

    public static void main(String[] args) {
        SpringApplication.run(EgressApplication.class, args);
    }
}
