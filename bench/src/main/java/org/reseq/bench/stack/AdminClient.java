package org.reseq.bench.stack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * The part of reseq's admin API the benchmark needs: create and delete destinations and channels.
 * Blocking calls, safe from many threads at once.
 */
public final class AdminClient {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final URI ingress;
    private static final String AUTHORIZATION = ApiKey.authorization();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** Messages per delivery request the destinations are given; 0 or 1: one per request. */
    private final int deliveryBatch;

    /** @param deliveryBatch gives every destination batched delivery of at most this many; 0: one per request */
    public AdminClient(URI ingress, int deliveryBatch) {
        this.ingress = ingress;
        this.deliveryBatch = deliveryBatch;
    }

    /** @throws IllegalStateException when no reseq answers at the ingress address */
    public void requireReachable() {
        try {
            HttpResponse<String> response = http.send(request("/admin/v1/channels").GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("reseq at " + ingress + " answered " + response.statusCode());
            }
        } catch (IOException e) {
            throw new IllegalStateException("No reseq at " + ingress + " (" + e + "): start one with deploy/local/up", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * Creates or replaces an HTTP destination that delivers to {@code url}, blocks on a failed
     * message ({@code BLOCK}), and runs one http transform when {@code transformUrl} is given.
     */
    public void putDestination(String name, String url, String transformUrl) throws IOException, InterruptedException {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("type", "HTTP");
        config.put("url", url);
        config.put("transforms", transformUrl == null ? List.of()
                : List.of(Map.of("type", "http", "url", transformUrl, "timeoutMs", 5000)));
        config.put("onFailure", "BLOCK");
        if (deliveryBatch > 0) {
            config.put("delivery", Map.of("mode", "BATCH", "maxMessages", deliveryBatch));
            config.put("maxBatch", Math.max(100, deliveryBatch));
        }
        put("/admin/v1/destinations/" + name, JSON.writeValueAsString(config));
    }

    public void putChannel(String name, List<String> destinations) throws IOException, InterruptedException {
        put("/admin/v1/channels/" + name, JSON.writeValueAsString(Map.of("destinations", destinations)));
    }

    /** Deletes the channel; one that does not exist is fine. */
    public void deleteChannel(String name) throws IOException, InterruptedException {
        delete("/admin/v1/channels/" + name);
    }

    /** Deletes the destination, with whatever it has not delivered yet; one that does not exist is fine. */
    public void deleteDestination(String name) throws IOException, InterruptedException {
        delete("/admin/v1/destinations/" + name + "?force=true");
    }

    private void put(String path, String json) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request(path).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200 && response.statusCode() != 201) {
            throw new IOException("PUT " + path + " answered " + response.statusCode() + ": " + response.body());
        }
    }

    private void delete(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request(path).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 204 && response.statusCode() != 404) {
            throw new IOException("DELETE " + path + " answered " + response.statusCode() + ": " + response.body());
        }
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(ingress.resolve(path)).timeout(TIMEOUT);
        if (AUTHORIZATION != null) {
            request.header("Authorization", AUTHORIZATION);
        }
        return request;
    }
}
