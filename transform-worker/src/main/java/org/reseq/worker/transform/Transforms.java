package org.reseq.worker.transform;

import java.net.http.HttpClient;
import org.reseq.model.destination.TransformSpec;

/**
 * Builds the {@link Transform} for each configured {@link TransformSpec}. Owns the one HTTP
 * client every {@code http} transform shares; {@link #close()} releases it.
 */
public final class Transforms implements AutoCloseable {

    private final HttpClient httpClient;
    private final Sleeper sleeper;

    public Transforms(HttpClient httpClient, Sleeper sleeper) {
        this.httpClient = httpClient;
        this.sleeper = sleeper;
    }

    /** Real waits and an HTTP/1.1 client that follows no redirects (a redirect is an answer, not a 2xx). */
    public static Transforms withDefaults() {
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        return new Transforms(client, Sleeper.THREAD);
    }

    /** The transform a spec describes; throws {@link IllegalArgumentException} when it cannot run. */
    public Transform create(TransformSpec spec) {
        return switch (spec) {
            case TransformSpec.Delay delay -> new DelayTransform(delay, sleeper);
            case TransformSpec.Http http -> new HttpTransform(http, httpClient);
        };
    }

    @Override
    public void close() {
        httpClient.close();
    }
}
