package org.reseq.worker.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.reseq.model.destination.DestinationConfig;
import org.reseq.model.destination.DestinationConfigJson;
import org.reseq.model.destination.TransformSpec;
import org.reseq.model.redis.TransformResult;
import org.reseq.model.redis.WorkItem;
import org.reseq.model.tracing.MessageTracing;
import org.reseq.model.tracing.Traceparent;
import org.reseq.transform.Transform;
import org.reseq.transform.TransformResponse;
import org.reseq.worker.plugin.Plugins;
import org.reseq.worker.transform.StubHttpServer.Answer;

class ChainRunnerTests {

    private static final Instant NOW = Instant.parse("2026-11-02T10:15:30Z");
    private static final WorkItem ITEM = new WorkItem("orders", 1, 12, UUID.randomUUID(), "text/plain",
            "abc".getBytes(StandardCharsets.UTF_8), "{}", 0);

    private final ChainRunner runner = new ChainRunner(Clock.fixed(NOW, ZoneOffset.UTC),
            new RetryBackoff(Duration.ofMillis(1), Duration.ofMillis(4)));
    private final Transforms transforms = Transforms.withDefaults(TestGuards.open(), 1024 * 1024);
    private final CountDownLatch releaseHungAnswers = new CountDownLatch(1);
    private StubHttpServer stub;

    @AfterEach
    void stop() {
        releaseHungAnswers.countDown();
        if (stub != null) {
            stub.close();
        }
        transforms.close();
    }

    @Test
    void runsTheTransformsInOrderOnEachOthersOutput() throws Exception {
        TransformChain chain = chain(List.of(append("1", "a/1"), append("2", "a/2"), append("3", "a/3")), 1_000, 1);

        TransformResult result = runner.run(ITEM, chain);

        assertThat(result.ok()).isTrue();
        assertThat(new String(result.payload(), StandardCharsets.UTF_8)).isEqualTo("abc123");
        assertThat(result.contentType()).isEqualTo("a/3");
        assertThat(result.attempts()).isEqualTo(1);
        assertThat(result.sequence()).isEqualTo(12);
        assertThat(result.messageId()).isEqualTo(ITEM.messageId());
        assertThat(result.completedAtMillis()).isEqualTo(NOW.toEpochMilli());
    }

    @Test
    void anEmptyChainKeepsThePayload() throws Exception {
        TransformResult result = runner.run(ITEM, chain(List.of(), 1_000, 1));

        assertThat(result.ok()).isTrue();
        assertThat(result.payload()).isEqualTo(ITEM.payload());
        assertThat(result.contentType()).isEqualTo("text/plain");
    }

    @Test
    void aFailedAttemptIsRetriedAndTheAttemptsAreCounted() throws Exception {
        stub = new StubHttpServer((n, request) -> n < 3
                ? new Answer(500, "text/plain", "try later".getBytes(StandardCharsets.UTF_8))
                : new Answer(200, "text/csv", "x,y".getBytes(StandardCharsets.UTF_8)));

        TransformResult result = runner.run(ITEM, chain(List.of(http(5_000)), 5_000, 5));

        assertThat(result.ok()).isTrue();
        assertThat(result.attempts()).isEqualTo(3);
        assertThat(new String(result.payload(), StandardCharsets.UTF_8)).isEqualTo("x,y");
        assertThat(result.contentType()).isEqualTo("text/csv");
        assertThat(stub.received()).hasSize(3);
    }

    @Test
    void afterTheLastAttemptTheResultIsAFailureWithTheErrorAndTheAttempts() throws Exception {
        stub = new StubHttpServer((n, request) -> new Answer(500, "text/plain",
                "broken".getBytes(StandardCharsets.UTF_8)));

        TransformResult result = runner.run(ITEM, chain(List.of(http(5_000)), 5_000, 2));

        assertThat(result.ok()).isFalse();
        assertThat(result.attempts()).isEqualTo(2);
        assertThat(result.error()).isEqualTo("http transform " + stub.url() + " answered 500: broken");
        assertThat(result.payload()).isEmpty();
        assertThat(result.completedAtMillis()).isEqualTo(NOW.toEpochMilli());
        assertThat(stub.received()).hasSize(2);
    }

    @Test
    void anAnswerOverTheResultLimitFailsAtOnceWithoutFurtherAttempts() throws Exception {
        stub = new StubHttpServer((n, request) -> new Answer(200, "text/plain", new byte[1024 * 1024 + 1]));

        TransformResult result = runner.run(ITEM, chain(List.of(http(5_000)), 5_000, 3));

        assertThat(result.ok()).isFalse();
        assertThat(result.attempts()).isEqualTo(1);
        assertThat(result.error()).isEqualTo("http transform " + stub.url() + ": response of 1048577 bytes is over "
                + "the limit of 1048576 bytes");
        assertThat(stub.received()).hasSize(1);
    }

    @Test
    void aClientErrorFailsAtOnceWithoutFurtherAttempts() throws Exception {
        stub = new StubHttpServer((n, request) -> new Answer(422, "text/plain",
                "no such field".getBytes(StandardCharsets.UTF_8)));

        TransformResult result = runner.run(ITEM, chain(List.of(http(5_000)), 5_000, 5));

        assertThat(result.ok()).isFalse();
        assertThat(result.attempts()).isEqualTo(1);
        assertThat(result.error()).isEqualTo("http transform " + stub.url() + " answered 422: no such field");
        assertThat(stub.received()).hasSize(1);
    }

    @Test
    void theNextAttemptWaitsAsLongAsRetryAfterAsks() throws Exception {
        List<Long> arrivals = new CopyOnWriteArrayList<>();
        stub = new StubHttpServer((n, request) -> {
            arrivals.add(System.nanoTime());
            return n == 1 ? new Answer(429, null, null, Map.of("Retry-After", "1"))
                    : new Answer(200, "text/plain", "ok".getBytes(StandardCharsets.UTF_8));
        });

        TransformResult result = runner.run(ITEM, chain(List.of(http(5_000)), 5_000, 3));

        assertThat(result.ok()).isTrue();
        assertThat(result.attempts()).isEqualTo(2);
        assertThat(Duration.ofNanos(arrivals.get(1) - arrivals.get(0))).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aRetryAfterLongerThanTheChainTimeoutWaitsOnlyThatLong() throws Exception {
        stub = new StubHttpServer((n, request) -> new Answer(503, null, null, Map.of("Retry-After", "3600")));
        long started = System.nanoTime();

        TransformResult result = runner.run(ITEM, chain(List.of(http(300)), 300, 2));

        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(result.ok()).isFalse();
        assertThat(result.attempts()).isEqualTo(2);
        assertThat(result.error()).isEqualTo("http transform " + stub.url() + " answered 503");
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(300)).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void aRetryAfterOnTheLastAttemptAddsNoWaitAndNoAttempt() throws Exception {
        stub = new StubHttpServer((n, request) -> new Answer(429, null, null, Map.of("Retry-After", "3600")));
        long started = System.nanoTime();

        TransformResult result = runner.run(ITEM, chain(List.of(http(5_000)), 60_000, 1));

        assertThat(result.attempts()).isEqualTo(1);
        assertThat(stub.received()).hasSize(1);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void aJsonataChainMapsAndAPayloadThatIsNotJsonFailsAtOnce() throws Exception {
        TransformChain chain = chain(List.of(transforms.create(new TransformSpec.Jsonata("{ 'n': $sequence }")),
                transforms.create(new TransformSpec.ContentType("application/vnd.n+json"))), 1_000, 5);
        WorkItem json = new WorkItem("orders", 1, 12, UUID.randomUUID(), "application/json",
                "{}".getBytes(StandardCharsets.UTF_8), "{}", 0);

        TransformResult mapped = runner.run(json, chain);
        TransformResult refused = runner.run(ITEM, chain);

        assertThat(new String(mapped.payload(), StandardCharsets.UTF_8)).isEqualTo("{\"n\":12}");
        assertThat(mapped.contentType()).isEqualTo("application/vnd.n+json");
        assertThat(refused.ok()).isFalse();
        assertThat(refused.attempts()).isEqualTo(1);
        assertThat(refused.error()).startsWith("jsonata transform needs a JSON payload: ");
    }

    @Test
    void anHttpTimeoutFailsTheAttemptAndIsRetried() throws Exception {
        stub = new StubHttpServer((n, request) -> {
            releaseHungAnswers.await();
            return new Answer(200, null, null);
        });

        TransformResult result = runner.run(ITEM, chain(List.of(http(200)), 10_000, 3));

        assertThat(result.ok()).isFalse();
        assertThat(result.attempts()).isEqualTo(3);
        assertThat(result.error()).isEqualTo("http transform " + stub.url() + " did not answer within 200 ms");
        assertThat(stub.received()).hasSize(3);
    }

    @Test
    void anAttemptOverTheChainTimeoutFailsAndItsThreadIsInterrupted() throws Exception {
        AtomicInteger interrupted = new AtomicInteger();
        Transform blocksUntilInterrupted = input -> {
            try {
                new CountDownLatch(1).await();
                throw new AssertionError("unreachable");
            } catch (InterruptedException e) {
                interrupted.incrementAndGet();
                throw e;
            }
        };

        TransformResult result = runner.run(ITEM, chain(List.of(blocksUntilInterrupted), 100, 2));

        assertThat(result.ok()).isFalse();
        assertThat(result.attempts()).isEqualTo(2);
        assertThat(result.error()).isEqualTo("transform chain timed out after 100 ms");
        await().atMost(Duration.ofSeconds(5)).until(() -> interrupted.get() == 2);
    }

    @Test
    void aSlowDelayTransformIsCutOffByTheChainTimeout() throws Exception {
        Transform hourLong = transforms.create(new TransformSpec.Delay(3_600_000L, 3_600_000L));

        TransformResult result = runner.run(ITEM, chain(List.of(hourLong), 50, 1));

        assertThat(result.ok()).isFalse();
        assertThat(result.attempts()).isEqualTo(1);
        assertThat(result.error()).isEqualTo("transform chain timed out after 50 ms");
    }

    @Test
    void anUnexpectedExceptionIsReportedWithItsType() throws Exception {
        Transform broken = input -> {
            throw new IllegalStateException("no mapping for field 'total'");
        };

        TransformResult result = runner.run(ITEM, chain(List.of(broken), 1_000, 1));

        assertThat(result.ok()).isFalse();
        assertThat(result.error()).isEqualTo("IllegalStateException: no mapping for field 'total'");
    }

    @Test
    void anInterruptedCallerGetsNoResult() {
        Transform hangs = input -> {
            new CountDownLatch(1).await();
            return null;
        };
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread caller = Thread.ofVirtual().start(() -> {
            try {
                outcome.set(runner.run(ITEM, chain(List.of(hangs), 3_600_000, 3)));
            } catch (InterruptedException e) {
                outcome.set(e);
            }
        });

        caller.interrupt();

        await().atMost(Duration.ofSeconds(5)).until(() -> !caller.isAlive());
        assertThat(outcome.get()).isInstanceOf(InterruptedException.class);
    }

    @Test
    void theChainOfAConfigurationRunsItsTransformsWithItsLimits() {
        DestinationConfig config = DestinationConfigJson.read("""
                { "type": "HTTP", "url": "http://127.0.0.1:9/out",
                  "transforms": [ { "type": "delay", "minMs": 1, "maxMs": 2 },
                                  { "type": "http", "url": "http://127.0.0.1:9/t" } ],
                  "transformTimeoutMs": 1500, "transformAttempts": 4 }
                """);

        TransformChain chain = TransformChain.of(config, transforms);

        assertThat(chain.steps()).hasSize(2);
        assertThat(chain.steps().get(0)).isInstanceOf(DelayTransform.class);
        assertThat(chain.steps().get(1)).isInstanceOf(HttpTransform.class);
        assertThat(chain.attemptTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(chain.maxAttempts()).isEqualTo(4);
    }

    private Transform http(long timeoutMs) {
        return transforms.create(new TransformSpec.Http(stub.url(), timeoutMs));
    }

    private static Transform append(String suffix, String contentType) {
        return input -> input.reply(
                (new String(input.payload(), StandardCharsets.UTF_8) + suffix).getBytes(StandardCharsets.UTF_8),
                contentType);
    }

    @Test
    void anHttpStepSendsTheTraceContextOfTheSpanTheItemRunsIn() throws Exception {
        stub = new StubHttpServer((n, request) -> new Answer(200, "text/plain", request.body()));
        MessageTracing tracing = TestTracing.openTelemetry();
        ChainRunner traced = new ChainRunner(Clock.fixed(NOW, ZoneOffset.UTC),
                new RetryBackoff(Duration.ofMillis(1), Duration.ofMillis(4)), tracing);
        Traceparent stored = Traceparent.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        WorkItem item = new WorkItem("orders", 1, 12, UUID.randomUUID(), "text/plain",
                "abc".getBytes(StandardCharsets.UTF_8), Map.of(), "{}", 0, stored);
        Span span = tracing.start("reseq.transform", item.traceparent());

        TransformResult result;
        try (Transforms tracedTransforms = Transforms.withDefaults(TestGuards.open(), 1024 * 1024,
                JsonataLimits.DEFAULTS, Plugins.NONE, tracing);
             Tracer.SpanInScope scope = tracing.inScope(span)) {
            result = traced.run(item, chain(List.of(tracedTransforms.create(new TransformSpec.Http(stub.url(), 2_000L))),
                    2_000, 1));
        } finally {
            span.end();
        }

        assertThat(result.ok()).isTrue();
        assertThat(result.traceparent()).as("the message's own, for egress").isEqualTo(stored);
        assertThat(stub.received()).singleElement().satisfies(request ->
                assertThat(request.headers().getFirst("traceparent")).isEqualTo(MessageTracing.of(span).toString()));
    }

    private static TransformChain chain(List<Transform> steps, long timeoutMs, int attempts) {
        return new TransformChain(steps, Duration.ofMillis(timeoutMs), attempts);
    }
}
