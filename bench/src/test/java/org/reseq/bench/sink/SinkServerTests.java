package org.reseq.bench.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.reseq.bench.measure.Tally;

/** The sink on a loopback port, called the way the stack's egress and workers call it. */
class SinkServerTests {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static SinkServer sink;

    @BeforeAll
    static void start() {
        sink = SinkServer.start("127.0.0.1", 0, 1, NettyTransport.best());
    }

    @AfterAll
    static void stop() {
        sink.close();
    }

    @Test
    void recordsEachDeliveryAndSeesOrderViolationsAndRepeats() throws Exception {
        Reception reception = new Reception(Map.of("d-order", 3));
        sink.attach(reception);
        for (long sequence : new long[] {1, 3, 2, 3}) {
            assertThat(post(sink.sinkUrl("d-order"), sequence, "x").statusCode()).isEqualTo(200);
        }
        sink.detach(reception);

        assertThat(reception.complete()).isTrue();
        assertThat(reception.distinctDelivered()).isEqualTo(3);
        assertThat(reception.lastDeliveryNanos()).isPresent();
        Tally tally = new Tally();
        reception.timeline("d-order").addTo(tally, 3);
        // 3 before 2, then 2 after 3: both first receipts are out of order.
        assertThat(tally.violations()).isEqualTo(2);
        assertThat(tally.repeats()).isEqualTo(1);
        assertThat(tally.losses()).isZero();
    }

    @Test
    void recordsEveryMessageOfABatchByTheRunItsHeadersName() throws Exception {
        Reception reception = new Reception(Map.of("d-batch", 5));
        sink.attach(reception);
        assertThat(postBatch(sink.sinkUrl("d-batch"), 1, 3).statusCode()).isEqualTo(200);
        assertThat(postBatch(sink.sinkUrl("d-batch"), 4, 5).statusCode()).isEqualTo(200);
        assertThat(postBatch(sink.sinkUrl("d-batch"), 5, 4).statusCode()).isEqualTo(400);
        sink.detach(reception);

        assertThat(reception.complete()).isTrue();
        Tally tally = new Tally();
        reception.timeline("d-batch").addTo(tally, 5);
        assertThat(tally.violations()).isZero();
        assertThat(tally.repeats()).isZero();
    }

    @Test
    void refusesADestinationDuringItsOutageOnly() throws Exception {
        Reception reception = new Reception(Map.of("d-down", 2, "d-up", 1));
        sink.attach(reception);
        long now = System.nanoTime();
        reception.refuse("d-down", now - 1_000_000_000L, now + 60_000_000_000L);

        assertThat(post(sink.sinkUrl("d-down"), 1, "x").statusCode()).isEqualTo(503);
        assertThat(post(sink.sinkUrl("d-up"), 1, "x").statusCode()).isEqualTo(200);
        reception.refuse("d-down", now - 2_000_000_000L, now - 1_000_000_000L);
        assertThat(post(sink.sinkUrl("d-down"), 1, "x").statusCode()).isEqualTo(200);
        sink.detach(reception);

        assertThat(reception.refused()).isEqualTo(1);
        assertThat(reception.distinctDelivered()).isEqualTo(2);
        assertThat(reception.complete()).isFalse();
    }

    @Test
    void answersATransformWithItsPayloadAfterTheTimeItNamesAndRecordsThatMoment() throws Exception {
        Reception reception = new Reception(Map.of("d-transform", 1));
        sink.attach(reception);
        long before = System.nanoTime();
        HttpResponse<String> response = post(sink.transformUrl("d-transform"), 1, TransformPayload.of(7, 120));
        long elapsedMs = (System.nanoTime() - before) / 1_000_000;
        // Deliver it, so that the timeline shows the ready time as zero overhead at most.
        post(sink.sinkUrl("d-transform"), 1, TransformPayload.of(7, 120));
        sink.detach(reception);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("i=7 t=120");
        assertThat(response.headers().firstValue("Content-Type")).contains("text/plain");
        assertThat(elapsedMs).isGreaterThanOrEqualTo(120);
        Tally tally = new Tally();
        reception.timeline("d-transform").addTo(tally, 1);
        assertThat(tally.overhead().count()).isEqualTo(1);
        assertThat(tally.overhead().maxMs()).isLessThan(elapsedMs);
    }

    @Test
    void takesDeliveriesToUnknownDestinationsWithoutRecordingThem() throws Exception {
        assertThat(post(sink.sinkUrl("nobody"), 1, "x").statusCode()).isEqualTo(200);
        assertThat(post(sink.sinkUrl("nobody"), 0, "x").statusCode()).isEqualTo(400);
    }

    private static HttpResponse<String> postBatch(String url, long first, long last) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .header("Reseq-First-Sequence", Long.toString(first)).header("Reseq-Last-Sequence", Long.toString(last))
                .POST(HttpRequest.BodyPublishers.ofString("[]")).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String url, long sequence, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (sequence > 0) {
            request.header("Reseq-Sequence", Long.toString(sequence));
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
