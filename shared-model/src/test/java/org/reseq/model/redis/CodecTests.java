package org.reseq.model.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import net.jqwik.api.ForAll;
import org.reseq.model.tracing.Traceparent;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class CodecTests {

    @Property
    void workItemsSurviveARoundTrip(@ForAll String destination, @ForAll int incarnation, @ForAll long sequence,
                                    @ForAll String contentType, @ForAll byte[] payload, @ForAll String config,
                                    @ForAll long dispatchedAt) {
        WorkItem item = new WorkItem(destination, incarnation, sequence, UUID.randomUUID(), contentType, payload,
                config, dispatchedAt);

        WorkItem decoded = Codec.decodeWorkItem(Codec.encode(item));

        assertThat(decoded).usingRecursiveComparison().isEqualTo(item);
    }

    @Property
    void resultsSurviveARoundTrip(@ForAll long sequence, @ForAll boolean ok, @ForAll String contentType,
                                  @ForAll byte[] payload, @ForAll String error, @ForAll int attempts,
                                  @ForAll long completedAt) {
        TransformResult result = new TransformResult(sequence, UUID.randomUUID(), ok, contentType, payload, error,
                attempts, completedAt);

        TransformResult decoded = Codec.decodeResult(Codec.encode(result));

        assertThat(decoded).usingRecursiveComparison().isEqualTo(result);
    }

    @Property
    void workItemsWithHeadersSurviveARoundTripInOrder(@ForAll String destination, @ForAll long sequence,
                                                      @ForAll byte[] payload, @ForAll Map<String, String> headers) {
        WorkItem item = new WorkItem(destination, 2, sequence, UUID.randomUUID(), "text/plain", payload,
                new LinkedHashMap<>(headers), "{}", 5);

        WorkItem decoded = Codec.decodeWorkItem(Codec.encode(item));

        assertThat(decoded).usingRecursiveComparison().isEqualTo(item);
        assertThat(decoded.headers().keySet()).containsExactlyElementsOf(item.headers().keySet());
    }

    @Property
    void resultsWithHeadersSurviveARoundTripInOrder(@ForAll boolean ok, @ForAll byte[] payload,
                                                   @ForAll Map<String, String> headers) {
        TransformResult result = new TransformResult(9, UUID.randomUUID(), ok, "application/json", payload,
                new LinkedHashMap<>(headers), ok ? "" : "failed", 2, 7);

        TransformResult decoded = Codec.decodeResult(Codec.encode(result));

        assertThat(decoded).usingRecursiveComparison().isEqualTo(result);
        assertThat(decoded.headers().keySet()).containsExactlyElementsOf(result.headers().keySet());
    }

    @Test
    void valuesWithoutHeadersKeepTheEarlierFormatSoThatEarlierVersionsReadThem() {
        assertThat(Codec.encode(new WorkItem("d", 3, 1, UUID.randomUUID(), "t", new byte[0], "{}", 0))[0])
                .isEqualTo((byte) 2);
        assertThat(Codec.encode(new TransformResult(1, UUID.randomUUID(), true, "t", new byte[0], "", 1, 0))[0])
                .isEqualTo((byte) 1);
        assertThat(Codec.encode(new WorkItem("d", 3, 1, UUID.randomUUID(), "t", new byte[0], Map.of("X-A", "1"),
                "{}", 0))[0]).isEqualTo((byte) 3);
    }

    /** Encoded by the version before travelling headers: format 2, no headers. */
    private static final String OLD_WORK_ITEM = "02" + "00000001" + "64" + "00000007" + "0000000000000005"
            + "00000000000000010000000000000002" + "0000000a" + "746578742f706c61696e" + "00000002" + "6869"
            + "00000002" + "7b7d" + "0000000000000063";
    /** Encoded by the version before travelling headers: format 1, no headers. */
    private static final String OLD_RESULT = "01" + "0000000000000005" + "00000000000000010000000000000002" + "01"
            + "0000000a" + "746578742f706c61696e" + "00000002" + "6869" + "00000000" + "00000003"
            + "0000000000000063";

    @Test
    void valuesOfTheEarlierFormatsReadAsWithoutHeaders() {
        WorkItem item = Codec.decodeWorkItem(HexFormat.of().parseHex(OLD_WORK_ITEM));
        TransformResult result = Codec.decodeResult(HexFormat.of().parseHex(OLD_RESULT));

        assertThat(item).usingRecursiveComparison().isEqualTo(new WorkItem("d", 7, 5, new UUID(1, 2), "text/plain",
                "hi".getBytes(StandardCharsets.UTF_8), "{}", 99));
        assertThat(item.headers()).isEmpty();
        assertThat(result).usingRecursiveComparison().isEqualTo(new TransformResult(5, new UUID(1, 2), true,
                "text/plain", "hi".getBytes(StandardCharsets.UTF_8), "", 3, 99));
        assertThat(result.headers()).isEmpty();
    }

    @Test
    void truncatedHeadersAreRejected() {
        byte[] encoded = Codec.encode(new TransformResult(7, UUID.randomUUID(), true, "text/plain", new byte[0],
                Map.of("X-Tenant", "acme"), "", 1, 0));

        assertThatThrownBy(() -> Codec.decodeResult(Arrays.copyOf(encoded, encoded.length - 2)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void truncatedValuesAreRejected() {
        byte[] encoded = Codec.encode(new TransformResult(7, UUID.randomUUID(), true, "text/plain",
                "hello".getBytes(StandardCharsets.UTF_8), "", 1, 0));

        assertThatThrownBy(() -> Codec.decodeResult(Arrays.copyOf(encoded, encoded.length - 3)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aWorkItemIsNotReadAsAResult() {
        byte[] encoded = Codec.encode(new WorkItem("d", 3, 1, UUID.randomUUID(), "t", new byte[0], "{}", 0));
        encoded[0] = 9;

        assertThatThrownBy(() -> Codec.decodeWorkItem(encoded)).hasMessageContaining("Unknown format");
    }

    private static final Traceparent TRACEPARENT = Traceparent.parse(
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");

    @Property
    void workItemsWithATraceparentSurviveARoundTrip(@ForAll long sequence, @ForAll byte[] payload,
                                                    @ForAll Map<String, String> headers, @ForAll boolean sampled) {
        Traceparent traceparent = new Traceparent(TRACEPARENT.traceId(), TRACEPARENT.spanId(), sampled);
        WorkItem item = new WorkItem("d", 2, sequence, UUID.randomUUID(), "text/plain", payload,
                new LinkedHashMap<>(headers), "{}", 5, traceparent);

        WorkItem decoded = Codec.decodeWorkItem(Codec.encode(item));

        assertThat(decoded).usingRecursiveComparison().isEqualTo(item);
        assertThat(decoded.traceparent()).isEqualTo(traceparent);
    }

    @Property
    void resultsWithATraceparentSurviveARoundTrip(@ForAll boolean ok, @ForAll byte[] payload,
                                                  @ForAll Map<String, String> headers) {
        TransformResult result = new TransformResult(9, UUID.randomUUID(), ok, "application/json", payload,
                new LinkedHashMap<>(headers), ok ? "" : "failed", 2, 7, TRACEPARENT);

        TransformResult decoded = Codec.decodeResult(Codec.encode(result));

        assertThat(decoded).usingRecursiveComparison().isEqualTo(result);
    }

    @Test
    void onlyValuesWithATraceparentTakeTheTracedFormats() {
        assertThat(Codec.encode(new WorkItem("d", 3, 1, UUID.randomUUID(), "t", new byte[0], Map.of(), "{}", 0,
                TRACEPARENT))[0]).isEqualTo((byte) 4);
        assertThat(Codec.encode(new TransformResult(1, UUID.randomUUID(), true, "t", new byte[0], Map.of(), "", 1, 0,
                TRACEPARENT))[0]).isEqualTo((byte) 3);
        assertThat(Codec.encode(new TransformResult(1, UUID.randomUUID(), true, "t", new byte[0], Map.of("X-A", "1"),
                "", 1, 0))[0]).isEqualTo((byte) 2);
    }

    @Test
    void aResultCarriesTheTraceparentOfItsWorkItem() {
        WorkItem item = new WorkItem("d", 3, 1, UUID.randomUUID(), "t", new byte[0], Map.of(), "{}", 0, TRACEPARENT);

        assertThat(TransformResult.success(item, "t", new byte[0], Map.of(), 1, 0).traceparent()).isEqualTo(TRACEPARENT);
        assertThat(TransformResult.failure(item, "no", 1, 0).traceparent()).isEqualTo(TRACEPARENT);
    }

    /** Encoded by the version before trace contexts: format 3, one header X-A: 1. */
    private static final String HEADERS_WORK_ITEM = "03" + OLD_WORK_ITEM.substring(2) + "00000001" + "00000003"
            + "582d41" + "00000001" + "31";
    /** Encoded by the version before trace contexts: format 2, one header X-A: 1. */
    private static final String HEADERS_RESULT = "02" + OLD_RESULT.substring(2) + "00000001" + "00000003" + "582d41"
            + "00000001" + "31";

    @Test
    void valuesOfTheHeadersFormatsReadWithTheirHeadersAndWithoutATraceparent() {
        WorkItem item = Codec.decodeWorkItem(HexFormat.of().parseHex(HEADERS_WORK_ITEM));
        TransformResult result = Codec.decodeResult(HexFormat.of().parseHex(HEADERS_RESULT));

        assertThat(item.headers()).containsExactly(Map.entry("X-A", "1"));
        assertThat(item.traceparent()).isNull();
        assertThat(item.payload()).asString(StandardCharsets.UTF_8).isEqualTo("hi");
        assertThat(result.headers()).containsExactly(Map.entry("X-A", "1"));
        assertThat(result.traceparent()).isNull();
        assertThat(result.attempts()).isEqualTo(3);
    }

    @Test
    void anUnreadableStoredTraceparentReadsAsNone() {
        byte[] encoded = Codec.encode(new TransformResult(7, UUID.randomUUID(), true, "text/plain", new byte[0],
                Map.of(), "", 1, 0, TRACEPARENT));
        // the traceparent is the value's last 55 bytes: make its version ff, which no reader accepts
        encoded[encoded.length - 55] = 'f';
        encoded[encoded.length - 54] = 'f';

        assertThat(Codec.decodeResult(encoded).traceparent()).isNull();
    }
}
