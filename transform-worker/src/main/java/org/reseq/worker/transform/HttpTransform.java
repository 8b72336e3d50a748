package org.reseq.worker.transform;

import io.micrometer.tracing.Span;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.util.Timeout;
import org.reseq.model.destination.SecretMasking;
import org.reseq.model.destination.TransformSpec;
import org.reseq.model.guard.DestinationRefusedException;
import org.reseq.model.http.BlockingHttp;
import org.reseq.model.tracing.MessageTracing;
import org.reseq.transform.PermanentTransformException;
import org.reseq.transform.RetryLaterException;
import org.reseq.transform.Transform;
import org.reseq.transform.TransformException;
import org.reseq.transform.TransformRequest;
import org.reseq.transform.TransformResponse;

/**
 * The {@code http} built-in: POSTs the payload to a URL, so a transform can be written in any
 * language. A 2xx answer's body and content type become the new payload; anything else fails
 * with a message that names the URL and the status: for good ({@link PermanentTransformException})
 * on a 4xx other than 408 and 429, which says the request itself is wrong; otherwise the attempt
 * fails and may be retried, after the answer's {@code Retry-After} on a 429 or 503
 * ({@link RetryLaterException}). An answer of more than
 * {@code maxResultBytes} fails the item for good ({@link PermanentTransformException}): it is
 * never read further than one byte past the limit, and its connection is closed rather than
 * drained. So does a URL the destination guard refuses when connecting, with nothing sent.
 * Messages show the URL with its user information, query values and fragment
 * {@linkplain SecretMasking masked}, as they may hold secrets; so is any URL the client's own
 * exception quotes. A URL with user information is never sent: the client would refuse it.
 *
 * <p>The request carries the trace context of the span in scope (the item's {@code reseq.transform}
 * span) as {@code traceparent}, after the travelling headers, which can never name it.
 *
 * <p>Threads: each call blocks its caller, the attempt's own virtual thread, on the shared
 * {@link BlockingHttp} client; blocking costs no platform thread there, and a fraction of the CPU
 * of an asynchronous client per request. An interrupt (the chain timing out, or shutdown) ends
 * the call at once with {@link InterruptedException}.
 */
final class HttpTransform implements Transform {

    static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";
    private static final int BODY_EXCERPT_CHARS = 200;

    private final CloseableHttpClient client;
    private final Clock clock;
    private final URI uri;
    /** {@link #uri} as messages show it. */
    private final String shown;
    /** Why {@link #uri} cannot be sent to, decided once; null when it can. */
    private final String uriProblem;
    private final Duration timeout;
    private final int maxResultBytes;
    private final MessageTracing tracing;

    HttpTransform(TransformSpec.Http spec, CloseableHttpClient client, Clock clock, int maxResultBytes,
            MessageTracing tracing) {
        this.client = client;
        this.tracing = tracing;
        this.clock = clock;
        this.maxResultBytes = maxResultBytes;
        this.uri = URI.create(spec.url());
        this.shown = SecretMasking.url(spec.url());
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            this.uriProblem = "unsupported URI " + shown;
        } else if (uri.getRawUserInfo() != null) {
            this.uriProblem = "its user information is never sent; give the credentials another way";
        } else {
            this.uriProblem = null;
        }
        this.timeout = Duration.ofMillis(spec.timeoutMs());
    }

    @Override
    public TransformResponse apply(TransformRequest input) throws InterruptedException {
        Answer answer = send(request(input));
        if (!successful(answer.status())) {
            throw unsuccessful(answer, excerpt(answer.body()));
        }
        String contentType = answer.contentType() == null || answer.contentType().isBlank()
                ? DEFAULT_CONTENT_TYPE : answer.contentType();
        return new TransformResponse(answer.body(), contentType, answer.headers() == null ? input.headers()
                : answer.headers());
    }

    /** A request per attempt: an aborted one cannot be sent again. */
    @SuppressWarnings("deprecation") // the request's connect timeout is the only per-request one, and still honoured
    private HttpPost request(TransformRequest input) {
        String contentType = input.contentType() == null || input.contentType().isBlank()
                ? DEFAULT_CONTENT_TYPE : input.contentType();
        requireSendable(contentType, input.destination());
        requireSendable(input.headers().values().toArray(String[]::new));
        HttpPost post = new HttpPost(uri);
        post.setConfig(RequestConfig.custom()
                // Connecting may not take longer than the answer may.
                .setConnectTimeout(Timeout.of(timeout.compareTo(BlockingHttp.CONNECT_TIMEOUT) < 0 ? timeout
                        : BlockingHttp.CONNECT_TIMEOUT))
                .setResponseTimeout(Timeout.of(timeout))
                .build());
        post.setHeader("Content-Type", contentType);
        post.setHeader("Reseq-Destination", input.destination());
        post.setHeader("Reseq-Sequence", Long.toString(input.sequence()));
        post.setHeader("Reseq-Message-Id", input.messageId().toString());
        HeaderWire.write(input.headers(), post);
        Span span = tracing.currentSpan();
        if (span != null) {
            tracing.inject(span, post, HttpPost::setHeader);
        }
        // No content type on the entity: the header above is sent exactly as given.
        post.setEntity(new ByteArrayEntity(input.payload(), null));
        return post;
    }

    /**
     * Refuses before sending what would go out mangled or fail later: a URL that is not absolute
     * http(s), a header value with control characters or beyond Latin-1.
     */
    private void requireSendable(String... headerValues) {
        String problem = uriProblem;
        for (String value : headerValues) {
            if (problem == null && value.chars().anyMatch(c -> c > 0xff || c < 0x20 && c != '\t' || c == 0x7f)) {
                problem = "invalid header value \"" + value + "\"";
            }
        }
        if (problem != null) {
            throw new TransformException("http transform " + shown + " cannot send this message: " + problem);
        }
    }

    private Answer send(HttpPost request) throws InterruptedException {
        try {
            return client.execute(request, response -> read(response, request));
        } catch (IOException e) {
            if (BlockingHttp.interrupted(e)) {
                InterruptedException interrupted = new InterruptedException("http transform " + shown + " interrupted");
                interrupted.initCause(e);
                throw interrupted;
            }
            if (e instanceof DestinationRefusedException) {
                throw new PermanentTransformException("http transform " + shown + " " + e.getMessage());
            }
            if (e instanceof SocketTimeoutException) {
                throw new TransformException("http transform " + shown + " did not answer within "
                        + timeout.toMillis() + " ms", e);
            }
            throw new TransformException("http transform " + shown + " failed: " + SecretMasking.text(e.toString()),
                    e);
        }
    }

    /**
     * Reads the answer, its body up to the limit. A body within it is read to the end, so that
     * the connection goes back to the pool. A longer one is left unread: the request is cancelled,
     * which closes the connection instead of draining the rest, however long (or endless) it is.
     *
     * @throws PermanentTransformException when a successful answer's body is over the limit
     * @throws TransformException when an unsuccessful one's is: the status is what matters
     */
    private Answer read(ClassicHttpResponse response, HttpPost request) throws IOException {
        Header contentType = response.getFirstHeader("Content-Type");
        Header retryAfter = response.getFirstHeader("Retry-After");
        HttpEntity entity = response.getEntity();
        long declared = entity == null ? 0 : entity.getContentLength();
        byte[] body = entity == null || declared > maxResultBytes ? new byte[0]
                : entity.getContent().readNBytes(maxResultBytes + 1);
        if (declared > maxResultBytes || body.length > maxResultBytes) {
            request.cancel();
            Answer unread = new Answer(response.getCode(), new byte[0], null, valueOf(retryAfter), null);
            throw successful(unread.status()) ? overLimit(declared > maxResultBytes ? declared + " bytes"
                    : "more than " + maxResultBytes + " bytes") : unsuccessful(unread, "");
        }
        Map<String, String> headers = successful(response.getCode()) ? HeaderWire.read(response, shown) : null;
        return new Answer(response.getCode(), body, valueOf(contentType), valueOf(retryAfter), headers);
    }

    private PermanentTransformException overLimit(String size) {
        return new PermanentTransformException("http transform " + shown + ": response of " + size
                + " is over the limit of " + maxResultBytes + " bytes");
    }

    /**
     * The failure an unsuccessful answer means. A 4xx says the request is wrong and would be
     * wrong again, except 408 (the server timed out) and 429 (too many requests); 5xx and
     * anything else may pass on another attempt.
     */
    private TransformException unsuccessful(Answer answer, String excerpt) {
        int status = answer.status();
        String message = "http transform " + shown + " answered " + status + excerpt;
        if (status >= 400 && status <= 499 && status != 408 && status != 429) {
            return new PermanentTransformException(message);
        }
        if (status == 429 || status == 503) {
            Optional<Duration> retryAfter = RetryAfter.parse(answer.retryAfter(), clock.instant());
            if (retryAfter.isPresent()) {
                return new RetryLaterException(message, retryAfter.get());
            }
        }
        return new TransformException(message);
    }

    private static boolean successful(int status) {
        return status >= 200 && status <= 299;
    }

    private static String valueOf(Header header) {
        return header == null ? null : header.getValue();
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
        return "http[" + shown + "]";
    }

    /**
     * @param headers the travelling headers the answer sets, or {@code null} when it leaves them
     */
    private record Answer(int status, byte[] body, String contentType, String retryAfter,
            Map<String, String> headers) {
    }
}
