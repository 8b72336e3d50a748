package org.reseq.egress.delivery.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.tracing.Span;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.util.Timeout;
import org.junit.jupiter.api.Test;
import org.reseq.egress.BoundEgressProperties;
import org.reseq.egress.delivery.Delivery;
import org.reseq.egress.delivery.DeliveryMetrics;
import org.reseq.egress.delivery.DeliveryRetry;
import org.reseq.egress.delivery.DeliveryStoppedException;
import org.reseq.egress.delivery.DestinationTls;
import org.reseq.egress.delivery.RetryGuard;
import org.reseq.egress.fake.Guards;
import org.reseq.egress.fake.TestTracing;
import org.reseq.model.destination.DestinationConfig;
import org.reseq.model.destination.DestinationConfigJson;
import org.reseq.model.destination.DestinationType;
import org.reseq.model.tracing.MessageTracing;
import org.reseq.model.tracing.Traceparent;

class HttpDeliveryChannelTests {

    private final DestinationConfig config = DestinationConfig.http("http://127.0.0.1:9/orders", List.of());

    @Test
    void requestCarriesTheContractHeadersAndTheDestinationTimeout() throws Exception {
        UUID messageId = UUID.fromString("0192f7c8-0000-7000-8000-000000000001");
        Delivery delivery = new Delivery("orders", 41, messageId, "application/json", "{}".getBytes());

        HttpPost request = HttpDeliveryChannel.request(config, delivery, RetryGuard.always());

        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getUri()).hasToString("http://127.0.0.1:9/orders");
        assertThat(request.getConfig().getResponseTimeout())
                .isEqualTo(Timeout.ofMilliseconds(config.deliveryTimeoutMs()));
        assertThat(Arrays.stream(request.getHeaders()).map(Header::getName)).containsExactlyInAnyOrder(
                "Content-Type", "Reseq-Destination", "Reseq-Sequence", "Reseq-Message-Id", "Idempotency-Key");
        assertThat(request.getFirstHeader("Content-Type").getValue()).isEqualTo("application/json");
        assertThat(request.getFirstHeader("Reseq-Destination").getValue()).isEqualTo("orders");
        assertThat(request.getFirstHeader("Reseq-Sequence").getValue()).isEqualTo("41");
        assertThat(request.getFirstHeader("Reseq-Message-Id").getValue()).isEqualTo(messageId.toString());
        assertThat(request.getFirstHeader("Idempotency-Key").getValue()).isEqualTo("orders:41");
        assertThat(request.getEntity().getContentLength()).isEqualTo(2);
        assertThat(request.getEntity().getContentType()).isNull();
    }

    @Test
    void theDestinationsOwnHeadersAreSentInOrderAndNeverReplaceTheContractOnes() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Bearer abc");
        headers.put("X-Tenant", "acme");
        // Validation refuses it; a configuration stored before that rule must not win either.
        headers.put("reseq-sequence", "999");
        DestinationConfig withHeaders = new DestinationConfig(DestinationType.HTTP, "http://127.0.0.1:9/orders", null,
                null, null, null, List.of(), null, null, null, null, null, null, null, headers);
        Delivery delivery = new Delivery("orders", 3, UUID.randomUUID(), "text/plain", "x".getBytes());

        HttpPost request = HttpDeliveryChannel.request(withHeaders, delivery, RetryGuard.always());

        assertThat(request.getFirstHeader("Authorization").getValue()).isEqualTo("Bearer abc");
        assertThat(request.getFirstHeader("X-Tenant").getValue()).isEqualTo("acme");
        assertThat(request.getHeaders("Reseq-Sequence")).extracting(Header::getValue).containsExactly("3");
    }

    @Test
    void theTravellingHeadersAreSentInOrderAfterTheDestinationsWhichWinOnAClash() {
        Map<String, String> own = new LinkedHashMap<>();
        own.put("x-tenant", "operator");
        DestinationConfig withHeaders = new DestinationConfig(DestinationType.HTTP, "http://127.0.0.1:9/orders", null,
                null, null, null, List.of(), null, null, null, null, null, null, null, own);
        Map<String, String> travelling = new LinkedHashMap<>();
        travelling.put("X-Correlation-Id", "c-1");
        travelling.put("X-Tenant", "sender");
        travelling.put("X-Request-Id", "r-9");
        // Never kept at ingest; a transform must not be able to send them either.
        travelling.put("Reseq-Sequence", "999");
        travelling.put("Authorization", "Bearer stolen");
        travelling.put("X-Broken", "a\r\nInjected: yes");
        Delivery delivery = new Delivery("orders", 3, UUID.randomUUID(), "text/plain", "x".getBytes(), travelling,
                false, 0);

        HttpPost request = HttpDeliveryChannel.request(withHeaders, delivery, RetryGuard.always());

        assertThat(Arrays.stream(request.getHeaders()).map(Header::getName)).containsExactly("Content-Type",
                "Reseq-Destination", "Reseq-Sequence", "Reseq-Message-Id", "Idempotency-Key", "x-tenant",
                "X-Correlation-Id", "X-Request-Id");
        assertThat(request.getHeaders("X-Tenant")).extracting(Header::getValue).containsExactly("operator");
        assertThat(request.getFirstHeader("X-Correlation-Id").getValue()).isEqualTo("c-1");
        assertThat(request.getHeaders("Reseq-Sequence")).extracting(Header::getValue).containsExactly("3");
    }

    @Test
    void theDeliverysTraceContextIsSentLastAndReplacesAnyStoredTraceparent() {
        Map<String, String> own = new LinkedHashMap<>();
        // Validation refuses it now; a configuration stored before that rule must not win.
        own.put("traceparent", "00-11111111111111111111111111111111-2222222222222222-01");
        DestinationConfig withHeaders = new DestinationConfig(DestinationType.HTTP, "http://127.0.0.1:9/orders", null,
                null, null, null, List.of(), null, null, null, null, null, null, null, own);
        Traceparent stored = Traceparent.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        Delivery delivery = new Delivery("orders", 3, UUID.randomUUID(), "text/plain", "x".getBytes());
        MessageTracing tracing = TestTracing.openTelemetry();
        Span span = tracing.start("reseq.deliver", stored);

        HttpPost request = HttpDeliveryChannel.traced(HttpDeliveryChannel.request(withHeaders, delivery,
                RetryGuard.always()), tracing, span);
        span.end();

        assertThat(request.getHeaders("traceparent")).extracting(Header::getValue)
                .containsExactly(MessageTracing.of(span).toString());
        Traceparent sent = Traceparent.parse(request.getFirstHeader("traceparent").getValue());
        assertThat(sent.traceId()).isEqualTo(stored.traceId());
        assertThat(sent.spanId()).isNotEqualTo(stored.spanId());
        assertThat(sent.sampled()).isTrue();
    }

    @Test
    void consecutiveDeliveriesEachSendTheirOwnMessagesTrace() throws Exception {
        MessageTracing tracing = TestTracing.openTelemetry();
        List<Traceparent> stored = List.of(
                Traceparent.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
                Traceparent.parse("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00"));
        for (Traceparent parent : stored) {
            Delivery delivery = new Delivery("orders", 1, UUID.randomUUID(), "text/plain", "x".getBytes());
            Span span = tracing.start("reseq.deliver", parent);
            HttpPost request;
            try (io.micrometer.tracing.Tracer.SpanInScope scope = tracing.inScope(span)) {
                request = HttpDeliveryChannel.traced(HttpDeliveryChannel.request(config, delivery,
                        RetryGuard.always()), tracing, tracing.currentSpan());
            } finally {
                span.end();
            }
            Traceparent sent = Traceparent.parse(request.getFirstHeader("traceparent").getValue());
            assertThat(sent.traceId()).isEqualTo(parent.traceId());
            assertThat(sent.sampled()).isEqualTo(parent.sampled());
        }
    }

    @Test
    void withoutASpanNoTraceparentIsSent() {
        Delivery delivery = new Delivery("orders", 3, UUID.randomUUID(), "text/plain", "x".getBytes());

        HttpPost request = HttpDeliveryChannel.traced(HttpDeliveryChannel.request(config, delivery,
                RetryGuard.always()), MessageTracing.NOOP, null);

        assertThat(request.getFirstHeader("traceparent")).isNull();
    }

    @Test
    void aUrlWithUserInformationIsUndeliverableAndItsSecretsStayOutOfTheReason() {
        DeliveryRetry retry = new DeliveryRetry(BoundEgressProperties.of(),
                new DeliveryMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry()));
        HttpDeliveryChannel channel = new HttpDeliveryChannel(retry, java.time.Clock.systemUTC(), Guards.open(),
                DestinationTls.jdkDefault(), MessageTracing.NOOP);
        DestinationConfig withUserInfo = DestinationConfig.http("http://user:pa55@127.0.0.1:9/in?token=s3cret",
                List.of());
        Delivery delivery = new Delivery("orders", 1, UUID.randomUUID(), "text/plain", "x".getBytes());

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> channel.deliver(withUserInfo, delivery,
                        RetryGuard.always()))
                .isInstanceOfSatisfying(DeliveryStoppedException.class, e -> {
                    assertThat(e.undeliverable()).isTrue();
                    assertThat(e.getMessage()).startsWith("cannot send to http://***@127.0.0.1:9/in?token=***: ")
                            .doesNotContain("pa55").doesNotContain("s3cret");
                });
    }

    @Test
    void aRedeliveryIsMarkedAndKeepsItsIdempotencyKey() {
        Delivery delivery = new Delivery("orders", 7, UUID.randomUUID(), "text/plain", "x".getBytes(), true);

        HttpPost request = HttpDeliveryChannel.request(config, delivery, RetryGuard.always());

        assertThat(request.getFirstHeader("Reseq-Redelivery").getValue()).isEqualTo("true");
        assertThat(request.getFirstHeader("Idempotency-Key").getValue()).isEqualTo("orders:7");
    }

    @Test
    void aMissingContentTypeIsSentAsOctetStream() {
        Delivery delivery = new Delivery("orders", 1, UUID.randomUUID(), "", new byte[0]);

        assertThat(HttpDeliveryChannel.request(config, delivery, RetryGuard.always()).getFirstHeader("Content-Type").getValue())
                .isEqualTo("application/octet-stream");
    }

    @Test
    void aDestinationTheDestinationGuardRefusesIsRejectedPermanentlyAndItsUrlSecretsStayOut() throws Exception {
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        java.util.concurrent.atomic.AtomicInteger received = new java.util.concurrent.atomic.AtomicInteger();
        server.createContext("/", exchange -> {
            try (exchange) {
                received.incrementAndGet();
                exchange.sendResponseHeaders(204, -1);
            }
        });
        server.start();
        DeliveryRetry retry = new DeliveryRetry(BoundEgressProperties.of(
                "reseq.egress.retry.initial-delay", "5ms", "reseq.egress.retry.max-delay", "20ms"),
                new DeliveryMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry()));
        HttpDeliveryChannel channel = new HttpDeliveryChannel(retry, java.time.Clock.systemUTC(),
                Guards.refusingLoopback(), DestinationTls.jdkDefault(), MessageTracing.NOOP);
        int port = server.getAddress().getPort();
        try {
            DestinationConfig config = DestinationConfigJson.read("""
                    {"type":"HTTP","url":"http://127.0.0.1:%d/in?token=secret","onFailure":"DEAD_LETTER"}"""
                    .formatted(port));
            Delivery delivery = new Delivery("orders", 1, UUID.randomUUID(), "text/plain", "x".getBytes());

            org.assertj.core.api.Assertions.assertThatThrownBy(() -> channel.deliver(config, delivery,
                            RetryGuard.always()))
                    .isInstanceOfSatisfying(DeliveryStoppedException.class, e -> {
                        assertThat(e.permanentlyRejected()).isTrue();
                        assertThat(e.attempts()).isEqualTo(3);
                        assertThat(e.getMessage()).startsWith("refused by the destination guard: 127.0.0.1:" + port
                                + " is a loopback address").doesNotContain("secret").doesNotContain("/in");
                    });
            assertThat(received).hasValue(0);
        } finally {
            channel.destroy();
            server.stop(0);
        }
    }

    @Test
    void noWholeRequestReachesTheDestinationWhenTheGuardRefusesRightBeforeTheSend() throws Exception {
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        java.util.concurrent.atomic.AtomicInteger received = new java.util.concurrent.atomic.AtomicInteger();
        server.createContext("/", exchange -> {
            // a receiver acts on a whole request only: the headers alone may have left already
            try (exchange) {
                if (exchange.getRequestBody().readAllBytes().length == 1) {
                    received.incrementAndGet();
                }
                exchange.sendResponseHeaders(204, -1);
            } catch (java.io.IOException cutShort) {
                // the client gave the request up: nothing to act on
            }
        });
        server.start();
        DeliveryRetry retry = new DeliveryRetry(BoundEgressProperties.of(),
                new DeliveryMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry()));
        HttpDeliveryChannel channel = new HttpDeliveryChannel(retry, java.time.Clock.systemUTC(), Guards.open(),
                DestinationTls.jdkDefault(), MessageTracing.NOOP);
        try {
            DestinationConfig config = DestinationConfigJson.read("""
                    {"type":"HTTP","url":"http://127.0.0.1:%d/in"}""".formatted(server.getAddress().getPort()));
            Delivery delivery = new Delivery("orders", 1, UUID.randomUUID(), "text/plain", "x".getBytes());
            RetryGuard refusing = new RetryGuard() {
                @Override
                public boolean keepTrying() {
                    return true;
                }

                @Override
                public void beforeSend() {
                    throw new IllegalStateException("term ended");
                }
            };

            org.assertj.core.api.Assertions.assertThatThrownBy(() -> channel.deliver(config, delivery, refusing))
                    .hasMessageContaining("term ended");
            channel.deliver(config, delivery, RetryGuard.always());

            assertThat(received).hasValue(1);
        } finally {
            channel.destroy();
            server.stop(0);
        }
    }
}
