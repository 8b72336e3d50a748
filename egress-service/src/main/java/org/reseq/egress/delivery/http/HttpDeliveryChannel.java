package org.reseq.egress.delivery.http;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import org.reseq.egress.delivery.Delivery;
import org.reseq.egress.delivery.DeliveryAttemptFailedException;
import org.reseq.egress.delivery.DeliveryChannel;
import org.reseq.egress.delivery.DeliveryRetry;
import org.reseq.egress.delivery.RetryGuard;
import org.reseq.model.destination.DestinationConfig;
import org.reseq.model.destination.FailurePolicy;
import org.reseq.model.destination.DestinationType;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * POSTs each message to its HTTP destination's {@code url}, once per attempt, with the headers
 * of the public contract. A message counts as delivered only after a 2xx answer
 * ({@link ResponseClassifier}); anything else is retried through {@link DeliveryRetry}, after the
 * {@code Retry-After} the destination asked for if it did. A permanent rejection (4xx other than
 * 408 and 429) is retried a few times; then a {@code BLOCK} destination keeps trying it slowly,
 * while for {@code DEAD_LETTER} (and for every redelivery) the delivery stops so that the caller
 * can dead-letter it.
 *
 * <p>Threads: one JDK {@link HttpClient} (HTTP/1.1) serves every destination; each call to
 * {@link #deliver} blocks its caller, a destination's leader, until the message is accepted, so
 * at most one request per destination is in flight.
 */
@Component
public final class HttpDeliveryChannel implements DeliveryChannel, DisposableBean {

    private static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";

    private final HttpClient client;
    private final DeliveryRetry retry;
    private final Clock clock;

    public HttpDeliveryChannel(DeliveryRetry retry, Clock clock) {
        this.retry = retry;
        this.clock = clock;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build();
    }

    @Override
    public DestinationType type() {
        return DestinationType.HTTP;
    }

    @Override
    public void deliver(DestinationConfig config, Delivery delivery, RetryGuard guard) throws Exception {
        HttpRequest request = request(config, delivery);
        DeliveryRetry.OnPermanentFailure onPermanent = config.onFailure() == FailurePolicy.BLOCK
                && !delivery.redelivery()
                ? DeliveryRetry.OnPermanentFailure.KEEP_TRYING : DeliveryRetry.OnPermanentFailure.GIVE_UP;
        retry.run(delivery.destination(), onPermanent, () -> send(request), guard);
    }

    static HttpRequest request(DestinationConfig config, Delivery delivery) {
        String contentType = delivery.contentType() == null || delivery.contentType().isBlank()
                ? DEFAULT_CONTENT_TYPE : delivery.contentType();
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(config.url()))
                .timeout(Duration.ofMillis(config.deliveryTimeoutMs()))
                .header("Content-Type", contentType)
                .header("Reseq-Destination", delivery.destination())
                .header("Reseq-Sequence", Long.toString(delivery.sequence()))
                .header("Reseq-Message-Id", delivery.messageId().toString())
                .header("Idempotency-Key", delivery.idempotencyKey());
        if (delivery.redelivery()) {
            builder.header("Reseq-Redelivery", "true");
        }
        return builder.POST(HttpRequest.BodyPublishers.ofByteArray(delivery.payload())).build();
    }

    private void send(HttpRequest request) throws DeliveryAttemptFailedException, InterruptedException {
        HttpResponse<Void> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            // Every failure without an answer is retried (ResponseClassifier.classify(IOException)).
            throw new DeliveryAttemptFailedException(ResponseClassifier.describe(e));
        }
        int status = response.statusCode();
        String reason = ResponseClassifier.describe(status);
        switch (ResponseClassifier.classify(status)) {
            case ACCEPTED -> {
                return;
            }
            case PERMANENT -> throw DeliveryAttemptFailedException.permanent(reason);
            case RETRY -> {
                Optional<Duration> wait = ResponseClassifier.retryAfter(response.headers().firstValue("Retry-After"),
                        clock.instant());
                throw wait.isPresent() ? DeliveryAttemptFailedException.retryAfter(reason, wait.get())
                        : new DeliveryAttemptFailedException(reason);
            }
        }
    }

    @Override
    public void destroy() {
        client.close();
    }
}
