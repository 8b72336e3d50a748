package org.reseq.ingress.tcp;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.reseq.ingress.IngressProperties;
import org.reseq.ingress.backpressure.BackpressureGate;
import org.reseq.ingress.commit.CommitPipeline;
import org.reseq.ingress.ingest.MessageIds;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires TCP ingest: the listeners of {@code reseq.ingest.tcp.listeners}, none by default, over
 * TLS when {@code reseq.ingest.tcp.tls.bundle} names an SSL bundle.
 */
@Configuration(proxyBeanMethods = false)
class TcpIngestConfiguration {

    @Bean
    TcpIngestServer tcpIngestServer(TcpIngestProperties tcp, IngressProperties properties, CommitPipeline pipeline,
            BackpressureGate backpressure, MessageIds ids, Clock clock, MeterRegistry registry, SslBundles bundles) {
        FrameAcceptor acceptor = new FrameAcceptor(pipeline, backpressure, ids, clock,
                properties.ingest().maxPayloadSize().toBytes(), registry);
        return new TcpIngestServer(tcp, acceptor, TcpTls.of(tcp.tls(), bundles));
    }
}
