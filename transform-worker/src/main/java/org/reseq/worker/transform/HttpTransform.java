package org.reseq.worker.transform;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.util.Timeout;
import org.reseq.model.destination.TransformSpec;

/**
 * The {@code http} built-in: POSTs the payload to a URL, so a transform can be written in any
 * language. A 2xx answer's body and content type become the new payload; anything else fails
 * the attempt with a message that names the URL and the status.
 *
 * <p>Threads: each call blocks its caller, the attempt's own virtual thread, on the shared
 * {@link #newClient() client}; blocking costs no platform thread there, and a fraction of the CPU
 * of an asynchronous client per request. An interrupt (the chain timing out, or shutdown) ends
 * the call at once with {@link InterruptedException}.
 */
final class HttpTransform implements Transform {

    static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final int BODY_EXCERPT_CHARS = 200;

    private final CloseableHttpClient client;
    private final URI uri;
    private final Duration timeout;

    HttpTransform(TransformSpec.Http spec, CloseableHttpClient client) {
        this.client = client;
        this.uri = URI.create(spec.url());
        this.timeout = Duration.ofMillis(spec.timeoutMs());
    }

    /**
     * The pooled, keep-alive client every {@code http} transform shares. The pool is unbounded
     * because the worker's {@code max-in-flight} already bounds the requests; redirects are not
     * followed (a redirect is an answer, not a 2xx), and nothing is retried (ChainRunner does).
     */
    static CloseableHttpClient newClient() {
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

    @Override
    public TransformOutput apply(TransformInput input) throws InterruptedException {
        Answer answer = send(request(input));
        if (answer.status() < 200 || answer.status() > 299) {
            throw new TransformException("http transform " + uri + " answered " + answer.status()
                    + excerpt(answer.body()));
        }
        String contentType = answer.contentType() == null || answer.contentType().isBlank()
                ? DEFAULT_CONTENT_TYPE : answer.contentType();
        return new TransformOutput(answer.body(), contentType);
    }

    /** A request per attempt: an aborted one cannot be sent again. */
    @SuppressWarnings("deprecation") // the request's connect timeout is the only per-request one, and still honoured
    private HttpPost request(TransformInput input) {
        String contentType = input.contentType() == null || input.contentType().isBlank()
                ? DEFAULT_CONTENT_TYPE : input.contentType();
        requireSendable(contentType, input.destination());
        HttpPost post = new HttpPost(uri);
        post.setConfig(RequestConfig.custom()
                // Connecting may not take longer than the answer may.
                .setConnectTimeout(Timeout.of(timeout.compareTo(CONNECT_TIMEOUT) < 0 ? timeout : CONNECT_TIMEOUT))
                .setResponseTimeout(Timeout.of(timeout))
                .build());
        post.setHeader("Content-Type", contentType);
        post.setHeader("Reseq-Destination", input.destination());
        post.setHeader("Reseq-Sequence", Long.toString(input.sequence()));
        post.setHeader("Reseq-Message-Id", input.messageId().toString());
        // No content type on the entity: the header above is sent exactly as given.
        post.setEntity(new ByteArrayEntity(input.payload(), null));
        return post;
    }

    /**
     * Refuses before sending what would go out mangled or fail later: a URL that is not absolute
     * http(s), a header value with control characters or beyond Latin-1.
     */
    private void requireSendable(String... headerValues) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String problem = null;
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            problem = "unsupported URI " + uri;
        }
        for (String value : headerValues) {
            if (problem == null && value.chars().anyMatch(c -> c > 0xff || c < 0x20 && c != '\t' || c == 0x7f)) {
                problem = "invalid header value \"" + value + "\"";
            }
        }
        if (problem != null) {
            throw new TransformException("http transform " + uri + " cannot send this message: " + problem);
        }
    }

    private Answer send(HttpPost request) throws InterruptedException {
        try {
            return client.execute(request, response -> {
                // Read to the end, so that the connection goes back to the pool.
                byte[] body = response.getEntity() == null ? null : EntityUtils.toByteArray(response.getEntity());
                Header contentType = response.getFirstHeader("Content-Type");
                return new Answer(response.getCode(), body == null ? new byte[0] : body,
                        contentType == null ? null : contentType.getValue());
            });
        } catch (IOException e) {
            // An interrupt closes a blocked virtual thread's socket, or ends a wait with an
            // InterruptedIOException; a timeout is one too, but is no interrupt.
            if (Thread.currentThread().isInterrupted() || e instanceof InterruptedIOException
                    && !(e instanceof SocketTimeoutException) && !(e instanceof ConnectTimeoutException)) {
                InterruptedException interrupted = new InterruptedException("http transform " + uri + " interrupted");
                interrupted.initCause(e);
                throw interrupted;
            }
            if (e instanceof SocketTimeoutException) {
                throw new TransformException("http transform " + uri + " did not answer within "
                        + timeout.toMillis() + " ms", e);
            }
            throw new TransformException("http transform " + uri + " failed: " + e, e);
        }
    }

    private static String excerpt(byte[] body) {
        if (body.length == 0) {
            return "";
        }
        String text = new String(body, StandardCharsets.UTF_8).strip();
        if (text.length() > BODY_EXCERPT_CHARS) {
            text = text.substring(0, BODY_EXCERPT_CHARS) + "...";
        }
        return text.isEmpty() ? "" : ": " + text;
    }

    @Override
    public String toString() {
        return "http[" + uri + "]";
    }

    private record Answer(int status, byte[] body, String contentType) {
    }
}
