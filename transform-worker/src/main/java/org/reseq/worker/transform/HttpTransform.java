package org.reseq.worker.transform;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.reseq.model.destination.TransformSpec;

/**
 * The {@code http} built-in: POSTs the payload to a URL, so a transform can be written in any
 * language. A 2xx answer's body and content type become the new payload; anything else fails
 * the attempt with a message that names the URL and the status.
 */
final class HttpTransform implements Transform {

    static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";
    private static final int BODY_EXCERPT_CHARS = 200;

    private final HttpClient client;
    private final URI uri;
    private final Duration timeout;

    HttpTransform(TransformSpec.Http spec, HttpClient client) {
        this.client = client;
        this.uri = URI.create(spec.url());
        this.timeout = Duration.ofMillis(spec.timeoutMs());
    }

    @Override
    public TransformOutput apply(TransformInput input) throws InterruptedException {
        HttpResponse<byte[]> response = send(request(input));
        int status = response.statusCode();
        if (status < 200 || status > 299) {
            throw new TransformException("http transform " + uri + " answered " + status + excerpt(response.body()));
        }
        String contentType = response.headers().firstValue("Content-Type")
                .filter(value -> !value.isBlank())
                .orElse(DEFAULT_CONTENT_TYPE);
        return new TransformOutput(response.body(), contentType);
    }

    private HttpRequest request(TransformInput input) {
        String contentType = input.contentType() == null || input.contentType().isBlank()
                ? DEFAULT_CONTENT_TYPE : input.contentType();
        try {
            return HttpRequest.newBuilder(uri)
                    .timeout(timeout)
                    .header("Content-Type", contentType)
                    .header("Reseq-Destination", input.destination())
                    .header("Reseq-Sequence", Long.toString(input.sequence()))
                    .header("Reseq-Message-Id", input.messageId().toString())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(input.payload()))
                    .build();
        } catch (IllegalArgumentException e) {
            throw new TransformException("http transform " + uri + " cannot send this message: " + e.getMessage(), e);
        }
    }

    private HttpResponse<byte[]> send(HttpRequest request) throws InterruptedException {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw new TransformException("http transform " + uri + " did not answer within " + timeout.toMillis()
                    + " ms", e);
        } catch (IOException e) {
            throw new TransformException("http transform " + uri + " failed: " + e, e);
        }
    }

    private static String excerpt(byte[] body) {
        if (body == null || body.length == 0) {
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
}
