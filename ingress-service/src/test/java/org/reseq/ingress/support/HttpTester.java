package org.reseq.ingress.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A real HTTP client against the application under test, with helpers for JSON and problems. */
public final class HttpTester {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient client;
    private final String base;
    private final String authorization;

    public HttpTester(int port) {
        this("http://127.0.0.1:" + port, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(),
                null);
    }

    private HttpTester(String base, HttpClient client, String authorization) {
        this.base = base;
        this.client = client;
        this.authorization = authorization;
    }

    /** A client of the application over HTTPS, trusting what {@code tls} trusts. */
    public static HttpTester https(int port, SSLContext tls) {
        return new HttpTester("https://127.0.0.1:" + port,
                HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build(), null);
    }

    /** The same client, sending {@code Authorization: Bearer <token>} with every request. */
    public HttpTester bearer(String token) {
        return new HttpTester(base, client, "Bearer " + token);
    }

    /** A response, with its body as text and (when it is JSON) parsed. */
    public record Response(int status, HttpResponse<byte[]> raw) {

        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        public String text() {
            return new String(raw.body(), StandardCharsets.UTF_8);
        }

        public JsonNode json() {
            return JSON.readTree(raw.body());
        }

        /** Asserts an RFC 9457 problem with this status and reseq type, and returns it. */
        public JsonNode assertProblem(int expectedStatus, String typeSlug) {
            assertThat(status).as("status of %s", text()).isEqualTo(expectedStatus);
            assertThat(header("Content-Type")).startsWith("application/problem+json");
            JsonNode problem = json();
            assertThat(problem.path("type").asString()).isEqualTo("https://reseq.dev/problems/" + typeSlug);
            assertThat(problem.path("title").asString()).isNotBlank();
            assertThat(problem.path("status").asInt()).isEqualTo(expectedStatus);
            assertThat(problem.path("detail").asString()).isNotBlank();
            assertThat(text()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("trace");
            return problem;
        }

        /** The {@code field}s of the problem's {@code errors}. */
        public java.util.List<String> errorFields() {
            java.util.List<String> fields = new java.util.ArrayList<>();
            json().path("errors").forEach(error -> fields.add(error.path("field").asString()));
            return fields;
        }
    }

    public Response send(String method, String path, byte[] body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (authorization != null && !headers.containsKey("Authorization")) {
            request.header("Authorization", authorization);
        }
        headers.forEach(request::header);
        return send(request.build());
    }

    public Response send(HttpRequest request) {
        try {
            HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return new Response(response.statusCode(), response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
    }

    public Response get(String path) {
        return send("GET", path, null, Map.of());
    }

    public Response delete(String path) {
        return send("DELETE", path, null, Map.of());
    }

    public Response post(String path) {
        return send("POST", path, null, Map.of());
    }

    public Response putJson(String path, String json) {
        return send("PUT", path, json.getBytes(StandardCharsets.UTF_8), Map.of("Content-Type", "application/json"));
    }

    public Response postMessage(String channel, String contentType, byte[] body, Map<String, String> headers) {
        Map<String, String> all = new java.util.HashMap<>(headers);
        if (contentType != null) {
            all.put("Content-Type", contentType);
        }
        return send("POST", "/api/v1/channels/" + channel + "/messages", body, all);
    }

    /** Creates HTTP destinations and a channel routing to them, in that order. */
    public void channel(String channel, String... destinations) {
        StringBuilder names = new StringBuilder();
        for (String destination : destinations) {
            Response created = putJson("/admin/v1/destinations/" + destination,
                    "{\"type\":\"HTTP\",\"url\":\"http://127.0.0.1:9/" + destination + "\"}");
            assertThat(created.status()).as(created.text()).isIn(200, 201);
            names.append(names.isEmpty() ? "" : ",").append('"').append(destination).append('"');
        }
        Response routed = putJson("/admin/v1/channels/" + channel, "{\"destinations\":[" + names + "]}");
        assertThat(routed.status()).as(routed.text()).isIn(200, 201);
    }
}
