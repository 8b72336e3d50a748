package org.reseq.ingress.tcp;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * TCP ingest settings under {@code reseq.ingest.tcp.*}. No listener is configured by default.
 * The largest accepted frame is {@code reseq.ingest.max-payload-size}, as for HTTP.
 *
 * @param listeners one per channel and port
 * @param maxPendingReplies a connection stops being read while this many of its messages wait
 *                          for their commit or for the sender to read the reply
 * @param handlerThreads (virtual) threads that run the per-connection handlers; connections are
 *                       spread over them, each connection stays on one
 * @param tls TLS for every listener; plain TCP unless a bundle is named
 */
@ConfigurationProperties("reseq.ingest.tcp")
@Validated
record TcpIngestProperties(
        @Valid @NotNull @DefaultValue List<Listener> listeners,
        @Min(1) @Max(1_000_000) @DefaultValue("1000") int maxPendingReplies,
        @Min(1) @Max(4096) @DefaultValue("64") int handlerThreads,
        @Valid @NotNull @DefaultValue Tls tls) {

    TcpIngestProperties {
        listeners = List.copyOf(listeners);
    }

    /**
     * @param channel the channel every message of this listener is ingested to
     * @param port the port to listen on (0: any free port)
     * @param framing how the stream is cut into messages
     * @param host the address to bind (default loopback only; {@code 0.0.0.0} for all)
     */
    record Listener(
            @NotNull @Pattern(regexp = "[a-z0-9_-]{1,64}") String channel,
            @NotNull @Min(0) @Max(65535) Integer port,
            @NotNull @DefaultValue("LINE") Framing framing,
            @NotBlank @DefaultValue("127.0.0.1") String host) {
    }

    /**
     * TLS on every TCP listener.
     *
     * @param bundle the Spring Boot SSL bundle ({@code spring.ssl.bundle.*}) whose key and
     *               certificate the listeners present; absent: plain TCP
     * @param clientAuth whether senders must present a certificate the bundle's trust store
     *                   trusts; {@code NEED} is how TCP senders are authenticated
     */
    record Tls(String bundle, @NotNull @DefaultValue("NONE") ClientAuth clientAuth) {

        boolean enabled() {
            return bundle != null && !bundle.isBlank();
        }
    }

    /** Whether a TLS listener asks senders for a certificate. */
    enum ClientAuth {
        /** Not asked for. */
        NONE,
        /** Asked for; a sender without one is still served. */
        WANT,
        /** Required: a sender without a trusted certificate fails the handshake (mutual TLS). */
        NEED
    }
}
