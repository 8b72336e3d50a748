package org.reseq.egress.delivery.http;

import io.micrometer.tracing.Span;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.util.Timeout;
import org.reseq.egress.delivery.Delivery;
import org.reseq.egress.delivery.DeliveryAttemptFailedException;
import org.reseq.egress.delivery.DeliveryChannel;
import org.reseq.egress.delivery.DeliveryRetry;
import org.reseq.egress.delivery.DeliveryStoppedException;
import org.reseq.egress.delivery.DestinationTls;
import org.reseq.egress.delivery.RetryGuard;
import org.reseq.model.destination.DestinationConfig;
import org.reseq.model.destination.DestinationType;
import org.reseq.model.destination.SecretMasking;
import org.reseq.model.guard.DestinationGuard;
import org.reseq.model.guard.DestinationRefusedException;
import org.reseq.model.headers.TravellingHeaders;
import org.reseq.model.http.BlockingHttp;
import org.reseq.model.tracing.MessageTracing;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * POSTs each message to its HTTP destination's {@code url}, once per attempt, with the headers
 * of the public contract, the destination's own {@code headers} (such as an
 * {@code Authorization} for the receiver) and the message's travelling headers, in that order of
 * precedence. A message counts as delivered only after a 2xx answer
 * ({@link ResponseClassifier}); anything else is retried through {@link DeliveryRetry}, after the
 * {@code Retry-After} the destination asked for if it did. A permanent rejection (4xx other than
 * 408 and 429) is retried a few times; then a {@code BLOCK} destination keeps trying it slowly,
 * while for {@code DEAD_LETTER} (and for every redelivery) the delivery stops so that the caller
 * can dead-letter it. A destination the {@link DestinationGuard} refuses when connecting is such
 * a permanent failure too: nothing is sent, and its text names the host and port, never the
 * URL's user information, path or query. Every other failure's text has the URL's secrets
 * {@linkplain SecretMasking masked}, whatever the client put in its exception. An {@code https}
 * URL is reached with {@link DestinationTls}: trusted certificate and matching host name, or the
 * attempt fails and is retried as a refused connection is. A destination with batched delivery
 * gets its messages as a JSON array instead ({@link BatchBody}), accepted or retried as a whole.
 *
 * <p>Threads: one pooled Apache HttpClient (classic, blocking, keep-alive) serves every
 * destination; each call to {@link #deliver} blocks its caller, a destination's leader on its own
 * thread, until the message is accepted, so at most one request per destination is in flight.
 * Blocking I/O costs a fraction of the CPU of an asynchronous client per request, which matters
 * at one round trip per message. A leader being stopped ends its request at once through
 * {@link #abort}; an interrupt does too, as the client's sockets are interruptible ({@link BlockingHttp}).
 *
 * <p>Each request carries the trace context of the span in scope on the calling thread (the
 * delivery's span) as {@code traceparent}, set last: it replaces whatever a destination's headers
 * stored before the name was reserved might say, and no travelling header can carry the name.
 */
@Component
public final class HttpDeliveryChannel implements DeliveryChannel, DisposableBean {

    private static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";

    private final CloseableHttpClient client;
    /** The request in flight per destination, so that {@link #abort} can cancel it from another thread. */
    private final Map<String, HttpPost> inFlight = new ConcurrentHashMap<>();
    private final DeliveryRetry retry;
    private final Clock clock;
    private final MessageTracing tracing;

    public HttpDeliveryChannel(DeliveryRetry retry, Clock clock, DestinationGuard guard, DestinationTls tls,
                               MessageTracing tracing) {
        this.retry = retry;
        this.clock = clock;
        this.tracing = tracing;
        // One request in flight per destination: the unbounded pool never makes a leader wait.
        this.client = BlockingHttp.newClient(guard, tls.context(), tls.protocols(), tls.ciphers());
    }

    @Override
    public DestinationType type() {
        return DestinationType.HTTP;
    }

    @Override
    public void deliver(DestinationConfig config, Delivery delivery, RetryGuard guard) throws Exception {
        requireSendable(config.url());
        DeliveryRetry.OnPermanentFailure onPermanent = DeliveryRetry.OnPermanentFailure.of(config.onFailure(),
                delivery.redelivery());
        Span span = tracing.currentSpan();
        retry.run(delivery.destination(), onPermanent,
                () -> send(delivery.destination(), traced(request(config, delivery, guard), tracing, span)), guard);
    }

    @Override
    public boolean batches() {
        return true;
    }

    @Override
    public void deliverBatch(DestinationConfig config, List<Delivery> batch, RetryGuard guard) throws Exception {
        requireSendable(config.url());
        String destination = batch.getFirst().destination();
        DeliveryRetry.OnPermanentFailure onPermanent = batch.size() == 1
                ? DeliveryRetry.OnPermanentFailure.of(config.onFailure(), false)
                : DeliveryRetry.OnPermanentFailure.GIVE_UP; // the caller looks for the one rejected
        byte[] body = BatchBody.encode(batch);
        retry.run(destination, onPermanent, () -> send(destination, batchRequest(config, batch, body, guard)), guard);
    }

    /**
     * Refuses a URL the client would refuse on every attempt: one that is not a URI, or one with
     * user information, which HttpClient 5 never sends (credentials in a URL end up in logs and
     * proxies). Without this, each attempt would fail as if the destination were down.
     */
    private static void requireSendable(String url) throws DeliveryStoppedException {
        String problem;
        try {
            problem = new URI(url).getRawUserInfo() == null ? null
                    : "its user information is never sent; give the credentials as an Authorization header";
        } catch (URISyntaxException e) {
            problem = "it is not a valid URI";
        }
        if (problem != null) {
            throw DeliveryStoppedException.undeliverable("cannot send to " + SecretMasking.url(url) + ": " + problem);
        }
    }

    /**
     * A request is built per attempt: an aborted one cannot be sent again. Its body asks the
     * guard first when it is written, after the connection was leased and the headers buffered,
     * right before the request is flushed to the wire.
     */
    static HttpPost request(DestinationConfig config, Delivery delivery, RetryGuard guard) {
        String contentType = delivery.contentType() == null || delivery.contentType().isBlank()
                ? DEFAULT_CONTENT_TYPE : delivery.contentType();
        HttpPost post = post(config, contentType, delivery.destination(), delivery.epoch());
        post.setHeader("Reseq-Sequence", Long.toString(delivery.sequence()));
        post.setHeader("Reseq-Message-Id", delivery.messageId().toString());
        post.setHeader("Idempotency-Key", delivery.idempotencyKey());
        if (delivery.redelivery()) {
            post.setHeader("Reseq-Redelivery", "true");
        }
        addOwn(post, config);
        addTravelling(post, delivery.headers());
        // No content type on the entity: the header above is sent exactly as the sender gave it.
        post.setEntity(new GuardedEntity(delivery.payload(), guard));
        return post;
    }

    /**
     * A batch's request: the messages in a JSON array ({@link BatchBody}), each with its own
     * idempotency key and travelling headers, and the run they cover in the headers.
     */
    static HttpPost batchRequest(DestinationConfig config, List<Delivery> batch, byte[] body, RetryGuard guard) {
        Delivery first = batch.getFirst();
        HttpPost post = post(config, BatchBody.CONTENT_TYPE, first.destination(), first.epoch());
        post.setHeader("Reseq-First-Sequence", Long.toString(first.sequence()));
        post.setHeader("Reseq-Last-Sequence", Long.toString(batch.getLast().sequence()));
        post.setHeader("Reseq-Batch-Size", Integer.toString(batch.size()));
        addOwn(post, config);
        post.setEntity(new GuardedEntity(body, guard));
        return post;
    }

    private static HttpPost post(DestinationConfig config, String contentType, String destination, long epoch) {
        HttpPost post = new HttpPost(config.url());
        post.setConfig(RequestConfig.custom()
                .setResponseTimeout(Timeout.ofMilliseconds(config.deliveryTimeoutMs()))
                .build());
        post.setHeader("Content-Type", contentType);
        post.setHeader("Reseq-Destination", destination);
        if (epoch > 0) {
            post.setHeader("Reseq-Epoch", Long.toString(epoch));
        }
        return post;
    }

    /** The destination's own headers (validated not to clash) never replace the contract's. */
    private static void addOwn(HttpPost post, DestinationConfig config) {
        if (config.headers() != null) {
            config.headers().forEach((name, value) -> {
                if (!post.containsHeader(name)) {
                    post.addHeader(name, value);
                }
            });
        }
    }

    /** The request with the span's trace context set, replacing any such header, or as it was without a span. */
    static HttpPost traced(HttpPost post, MessageTracing tracing, Span span) {
        if (span != null) {
            tracing.inject(span, post, HttpPost::setHeader);
        }
        return post;
    }

    /**
     * The message's travelling headers, after the contract's and the destination's: an operator's
     * header of the same name wins over what a sender sent. Ingest refuses names that clash with the
     * contract; a name or value that cannot travel is still left out here, whatever set it.
     */
    private static void addTravelling(HttpPost post, Map<String, String> headers) {
        headers.forEach((name, value) -> {
            if (TravellingHeaders.maySend(name, value) && !post.containsHeader(name)) {
                post.addHeader(name, value);
            }
        });
    }

    @Override
    public void abort(String destination) {
        HttpPost request = inFlight.get(destination);
        if (request != null) {
            request.cancel();
        }
    }

    private void send(String destination, HttpPost request) throws DeliveryAttemptFailedException,
            DeliveryStoppedException, InterruptedException {
        Answer answer;
        inFlight.put(destination, request);
        try {
            answer = client.execute(request, response -> {
                EntityUtils.consume(response.getEntity()); // keeps the connection reusable
                Header retryAfter = response.getFirstHeader("Retry-After");
                return new Answer(response.getCode(), Optional.ofNullable(retryAfter).map(Header::getValue));
            });
        } catch (IOException e) {
            if (request.isCancelled()) {
                throw DeliveryStoppedException.stoppedByGuard("aborted: the destination's leader is stopping");
            }
            if (BlockingHttp.interrupted(e)) {
                throw new InterruptedException("delivery interrupted: " + SecretMasking.text(e.toString()));
            }
            if (e instanceof DestinationRefusedException refused) {
                throw DeliveryAttemptFailedException.permanent(refused.getMessage());
            }
            // Every failure without an answer is retried (ResponseClassifier.classify(IOException)).
            throw new DeliveryAttemptFailedException(ResponseClassifier.describe(e));
        } finally {
            inFlight.remove(destination, request);
        }
        String reason = ResponseClassifier.describe(answer.status());
        switch (ResponseClassifier.classify(answer.status())) {
            case ACCEPTED -> {
                return;
            }
            case PERMANENT -> throw DeliveryAttemptFailedException.permanent(reason);
            case RETRY -> {
                Optional<Duration> wait = ResponseClassifier.retryAfter(answer.retryAfter(), clock.instant());
                throw wait.isPresent() ? DeliveryAttemptFailedException.retryAfter(reason, wait.get())
                        : new DeliveryAttemptFailedException(reason);
            }
        }
    }

    @Override
    public void destroy() throws IOException {
        client.close();
    }

    private record Answer(int status, Optional<String> retryAfter) {
    }
}
