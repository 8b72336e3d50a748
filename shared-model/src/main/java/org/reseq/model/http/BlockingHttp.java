package org.reseq.model.http;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SchemePortResolver;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.DefaultHttpClientConnectionOperator;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.io.DetachedSocketFactory;
import org.apache.hc.client5.http.io.HttpClientConnectionOperator;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.URIScheme;
import org.apache.hc.core5.http.config.RegistryBuilder;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.util.Timeout;
import org.reseq.model.guard.DestinationGuard;

/**
 * The HTTP client egress delivers with and the worker's {@code http} transform calls with:
 * Apache HttpClient 5 in its classic, blocking form (ADR 7), a fraction of the CPU of an
 * asynchronous client per request. The worker calls it from virtual threads, egress from each
 * destination's leader thread, a platform thread (ADR 11).
 *
 * <p>Its sockets are those of {@link SocketChannel}s, which are interruptible on every thread: an
 * interrupt of the calling thread (a leader giving its lease up) closes the connection and ends
 * the request at once. A plain {@code java.net.Socket} ends that way only on a virtual thread; on
 * a platform thread it would wait for the answer or the response timeout.
 */
public final class BlockingHttp {

    /** How long a connection may take to open, unless a request asks for less. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private BlockingHttp() {
    }

    /**
     * A pooled keep-alive client with {@code TCP_NODELAY}. The pool is unbounded: the callers
     * bound their own concurrency (one request per destination; the worker's max-in-flight).
     * Nothing is retried (the callers decide), redirects are answers and are not followed, and
     * there are no cookies, content decoding, auth caching or proxies.
     *
     * <p>Every connection goes only where {@code guard} allows: it resolves each host, and a
     * refused one fails the request with a {@link org.reseq.model.guard.DestinationRefusedException}
     * before any socket is opened ({@link GuardedDnsResolver}).
     */
    public static CloseableHttpClient newClient(DestinationGuard guard) {
        return newClient(guard, DefaultClientTlsStrategy.createDefault());
    }

    /**
     * As {@link #newClient(DestinationGuard)}, with {@code https} URLs reached through
     * {@code sslContext}: its trust anchors verify the server, its key (if any) is the client
     * certificate for mutual TLS. The host name is verified against the server's certificate.
     *
     * @param protocols the TLS versions to enable, null for the context's defaults
     * @param ciphers the cipher suites to enable, null for the context's defaults
     */
    public static CloseableHttpClient newClient(DestinationGuard guard, SSLContext sslContext, String[] protocols,
                                                String[] ciphers) {
        ClientTlsStrategyBuilder tls = ClientTlsStrategyBuilder.create().setSslContext(sslContext);
        if (protocols != null) {
            tls.setTlsVersions(protocols);
        }
        if (ciphers != null) {
            tls.setCiphers(ciphers);
        }
        return newClient(guard, tls.buildClassic());
    }

    private static CloseableHttpClient newClient(DestinationGuard guard, TlsSocketStrategy tls) {
        PoolingHttpClientConnectionManager connections = new InterruptibleSockets()
                .setTlsSocketStrategy(tls)
                .setDnsResolver(new GuardedDnsResolver(guard))
                .setMaxConnTotal(Integer.MAX_VALUE)
                .setMaxConnPerRoute(Integer.MAX_VALUE)
                .setDefaultSocketConfig(SocketConfig.custom().setTcpNoDelay(true).build())
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(CONNECT_TIMEOUT))
                        .setValidateAfterInactivity(Timeout.ofSeconds(2))
                        .build())
                .build();
        return HttpClients.custom()
                .setConnectionManager(connections)
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableContentCompression()
                .disableAuthCaching()
                .build();
    }

    /** The pool's builder, with one change: plain sockets are made from {@link SocketChannel}s. */
    private static final class InterruptibleSockets extends PoolingHttpClientConnectionManagerBuilder {

        @Override
        protected HttpClientConnectionOperator createConnectionOperator(SchemePortResolver ports, DnsResolver dns,
                                                                        TlsSocketStrategy tls) {
            DetachedSocketFactory sockets = proxy -> proxy == null ? SocketChannel.open().socket() : new Socket(proxy);
            return new DefaultHttpClientConnectionOperator(sockets, ports, dns,
                    RegistryBuilder.<TlsSocketStrategy>create().register(URIScheme.HTTPS.id, tls).build());
        }
    }

    /**
     * Whether a failed request was ended by an interrupt of the calling thread: its interrupt
     * flag, or an {@link InterruptedIOException} that is not a timeout. Timeouts of both kinds
     * are {@code InterruptedIOException}s too, but are failures for the caller to retry.
     */
    public static boolean interrupted(IOException e) {
        return Thread.currentThread().isInterrupted() || e instanceof InterruptedIOException
                && !(e instanceof SocketTimeoutException) && !(e instanceof ConnectTimeoutException);
    }
}
