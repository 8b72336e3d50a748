package org.reseq.ingress.tcp;

import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandler;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslOptions;

/**
 * TLS on the TCP listeners, from the Spring Boot SSL bundle {@code reseq.ingest.tcp.tls.bundle}
 * names: one {@link SSLContext} made from the bundle at start-up, and per accepted connection a
 * server-mode {@link SSLEngine} with the bundle's protocols and ciphers (when it sets any) and
 * the configured client authentication, in a Netty {@link SslHandler} ahead of everything else.
 * A sender that does not complete the handshake (plain TCP, no or an untrusted certificate under
 * {@code NEED}, nothing sent within Netty's handshake timeout) never reaches the framer; its
 * connection is closed and the reason logged.
 *
 * <p>Threads: immutable; {@link #addTo} runs on the event loops, and {@link SSLContext} is
 * thread-safe. A bundle changed while running takes effect at the next start.
 */
final class TcpTls {

    private static final Logger log = LoggerFactory.getLogger(TcpTls.class);

    private static final TcpTls PLAIN = new TcpTls(null, SslOptions.NONE, TcpIngestProperties.ClientAuth.NONE);

    /** Null for plain TCP. */
    private final SSLContext context;
    private final SslOptions options;
    private final TcpIngestProperties.ClientAuth clientAuth;

    private TcpTls(SSLContext context, SslOptions options, TcpIngestProperties.ClientAuth clientAuth) {
        this.context = context;
        this.options = options;
        this.clientAuth = clientAuth;
    }

    /**
     * TLS as {@code settings} say, plain TCP when they name no bundle.
     *
     * @throws IllegalStateException when the named bundle does not exist or has no key to present
     */
    static TcpTls of(TcpIngestProperties.Tls settings, SslBundles bundles) {
        if (!settings.enabled()) {
            return PLAIN;
        }
        SslBundle bundle;
        try {
            bundle = bundles.getBundle(settings.bundle());
        } catch (NoSuchSslBundleException e) {
            throw new IllegalStateException("reseq.ingest.tcp.tls.bundle names the SSL bundle '" + settings.bundle()
                    + "', which is not configured: define it under spring.ssl.bundle.jks." + settings.bundle()
                    + " or spring.ssl.bundle.pem." + settings.bundle(), e);
        }
        if (bundle.getStores().getKeyStore() == null) {
            throw new IllegalStateException("reseq.ingest.tcp.tls.bundle names the SSL bundle '" + settings.bundle()
                    + "', which has no key store: the TCP listeners need a private key and certificate to present");
        }
        return new TcpTls(bundle.createSslContext(), bundle.getOptions(), settings.clientAuth());
    }

    boolean enabled() {
        return context != null;
    }

    /** Puts TLS first in the pipeline of a connection just accepted; nothing for plain TCP. */
    void addTo(SocketChannel channel) {
        if (context == null) {
            return;
        }
        SslHandler handler = new SslHandler(newEngine());
        handler.handshakeFuture().addListener(handshake -> {
            if (!handshake.isSuccess()) {
                log.info("TLS handshake with TCP sender {} failed: {}", channel.remoteAddress(),
                        reason(handshake.cause()));
            }
        });
        channel.pipeline().addFirst("tls", handler);
    }

    /** Why a handshake failed, without the bytes of a plain-TCP sender, which may be its messages. */
    private static String reason(Throwable cause) {
        return cause instanceof NotSslRecordException ? "it sent no TLS record (plain TCP?)" : cause.toString();
    }

    /** A server-mode engine with the bundle's options and the client authentication configured. */
    SSLEngine newEngine() {
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        if (options.getEnabledProtocols() != null) {
            engine.setEnabledProtocols(options.getEnabledProtocols());
        }
        if (options.getCiphers() != null) {
            engine.setEnabledCipherSuites(options.getCiphers());
        }
        switch (clientAuth) {
            case NEED -> engine.setNeedClientAuth(true);
            case WANT -> engine.setWantClientAuth(true);
            case NONE -> engine.setNeedClientAuth(false);
        }
        return engine;
    }
}
