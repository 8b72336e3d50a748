package org.reseq.egress.delivery.http;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executors;
import org.reseq.egress.delivery.Delivery;
import org.reseq.egress.delivery.DeliveryAttemptFailedException;
import org.reseq.egress.delivery.DeliveryChannel;
import org.reseq.egress.delivery.DeliveryRetry;
import org.reseq.egress.delivery.RetryGuard;
import org.reseq.model.destination.DestinationConfig;
import org.reseq.model.destination.DestinationType;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * POSTs each message to its HTTP destination's {@code url}, once per attempt, with the headers
 * of the public contract. A message counts as delivered only after a 2xx answer
 * ({@link ResponseClassifier}); anything else is retried through {@link DeliveryRetry}.
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

    public HttpDeliveryChannel(DeliveryRetry retry) {
        this.retry = retry;
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
        retry.run(delivery.destination(), () -> send(request), guard);
    }

    static HttpRequest request(DestinationConfig config, Delivery delivery) {
        String contentType = delivery.contentType() == null || delivery.contentType().isBlank()
                ? DEFAULT_CONTENT_TYPE : delivery.contentType();
        return HttpRequest.newBuilder(URI.create(config.url()))
                .timeout(Duration.ofMillis(config.deliveryTimeoutMs()))
                .header("Content-Type", contentType)
                .header("Reseq-Destination", delivery.destination())
                .header("Reseq-Sequence", Long.toString(delivery.sequence()))
                .header("Reseq-Message-Id", delivery.messageId().toString())
                .header("Idempotency-Key", delivery.idempotencyKey())
                .POST(HttpRequest.BodyPublishers.ofByteArray(delivery.payload()))
                .build();
    }

    private void send(HttpRequest request) throws DeliveryAttemptFailedException, InterruptedException {
        ResponseClassifier.Verdict verdict;
        String reason;
        try {
            int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            verdict = ResponseClassifier.classify(status);
            reason = ResponseClassifier.describe(status);
        } catch (IOException e) {
            verdict = ResponseClassifier.classify(e);
            reason = ResponseClassifier.describe(e);
        }
        if (verdict != ResponseClassifier.Verdict.ACCEPTED) {
            throw new DeliveryAttemptFailedException(reason);
        }
    }

    @Override
    public void destroy() {
        client.close();
    }
}
