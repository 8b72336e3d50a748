package org.reseq.ingress.tcp;

import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import org.reseq.ingress.IngressProperties;
import org.reseq.ingress.backpressure.BackpressureGate;
import org.reseq.ingress.commit.CommitPipeline;
import org.reseq.ingress.ingest.MessageIds;
import org.reseq.model.security.SecurityProperties;
import org.reseq.model.tracing.MessageTracing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires TCP ingest: the listeners of {@code reseq.ingest.tcp.listeners}, none by default, over
 * TLS when {@code reseq.ingest.tcp.tls.bundle} names an SSL bundle.
 */
@Configuration(proxyBeanMethods = false)
class TcpIngestConfiguration {

    private static final Logger log = LoggerFactory.getLogger(TcpIngestConfiguration.class);

    @Bean
    TcpIngestServer tcpIngestServer(TcpIngestProperties tcp, IngressProperties properties, CommitPipeline pipeline,
            BackpressureGate backpressure, MessageIds ids, Clock clock, MeterRegistry registry, SslBundles bundles,
            SecurityProperties security, MessageTracing tracing) {
        warnOfUnauthenticatedListeners(tcp, security);
        FrameAcceptor acceptor = new FrameAcceptor(pipeline, backpressure, ids, clock,
                properties.ingest().maxPayloadSize().toBytes(), registry, tracing);
        return new TcpIngestServer(tcp, acceptor, TcpTls.of(tcp.tls(), bundles));
    }

    /**
     * A TCP sender presents no bearer credential: with security on, only a client certificate
     * ({@code client-auth: NEED}) or a listener reachable from this machine alone keeps strangers
     * from posting. Said at start, not refused: a private network may be the operator's choice.
     */
    private static void warnOfUnauthenticatedListeners(TcpIngestProperties tcp, SecurityProperties security) {
        boolean certificates = tcp.tls().enabled() && tcp.tls().clientAuth() == TcpIngestProperties.ClientAuth.NEED;
        if (!security.enabled() || certificates) {
            return;
        }
        for (TcpIngestProperties.Listener listener : tcp.listeners()) {
            if (!isLoopback(listener.host())) {
                log.warn("TCP listener of channel {} on {}:{} accepts messages from anyone who reaches it: TCP"
                        + " senders present no credential; set reseq.ingest.tcp.tls.client-auth=NEED or bind it to"
                        + " a private address", listener.channel(), listener.host(), listener.port());
            }
        }
    }

    /** The address the listener binds: every loopback form (127.0.0.0/8, ::1, localhost) counts. */
    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false; // the bind fails next, with its own error
        }
    }
}
