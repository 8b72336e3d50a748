package org.reseq.model.http;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.util.Timeout;

/**
 * The HTTP client egress delivers with and the worker's {@code http} transform calls with:
 * Apache HttpClient 5 in its classic, blocking form, used from virtual threads (ADR 7). Blocking
 * costs no platform thread there, and a fraction of the CPU of an asynchronous client per request.
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
     * there are no cookies, content decoding or auth caching.
     */
    public static CloseableHttpClient newClient() {
        PoolingHttpClientConnectionManager connections = PoolingHttpClientConnectionManagerBuilder.create()
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
