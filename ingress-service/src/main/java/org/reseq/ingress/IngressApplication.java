package org.reseq.ingress;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The entry point of reseq's ingress: HTTP ingest with group commit, and the admin API. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class IngressApplication {

    public static void main(String[] args) {
        SpringApplication.run(IngressApplication.class, args);
    }
}
