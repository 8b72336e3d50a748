package org.reseq.resequencer.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * What every {@link Deliveries} answers, against the in-memory fake the leader's unit tests use
 * and against PostgreSQL: a destination's progress, and its deliveries in a range, in order.
 */
abstract class DeliveriesContract {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String CONFIG = """
            {"type":"HTTP","url":"http://127.0.0.1:9/in","maxBatch":7}""";

    final String destination = "deliveries-" + UUID.randomUUID().toString().substring(0, 8);

    abstract Deliveries deliveries();

    /** Creates the destination with {@code configJson} and no deliveries. */
    abstract void create(String destination, String configJson) throws Exception;

    /**
     * Stores {@code count} more deliveries, each of a message of its own whose payload is
     * {@code "m-<sequence>"} and whose content type is {@code text/plain}.
     */
    abstract void ingest(String destination, int count) throws Exception;

    /** Egress delivered up to {@code position}. */
    abstract void delivered(String destination, long position) throws Exception;

    @Test
    void anUnknownDestinationHasNoProgress() throws Exception {
        assertThat(deliveries().progress("never-created-" + UUID.randomUUID())).isEmpty();
    }

    @Test
    void progressTellsTheLastSequenceTheDeliveredCursorAndTheConfiguration() throws Exception {
        create(destination, CONFIG);
        ingest(destination, 5);
        delivered(destination, 2);

        Progress progress = deliveries().progress(destination).orElseThrow();

        assertThat(progress.lastSequence()).isEqualTo(5);
        assertThat(progress.delivered()).isEqualTo(2);
        assertThat(JSON.readTree(progress.configJson())).isEqualTo(JSON.readTree(CONFIG));
    }

    @Test
    void aNewDestinationHasDeliveredNothing() throws Exception {
        create(destination, CONFIG);

        assertThat(deliveries().progress(destination).orElseThrow().delivered()).isZero();
    }

    @Test
    void aRangeHoldsTheDeliveriesAfterItsStartUpToItsEndInOrder() throws Exception {
        create(destination, CONFIG);
        ingest(destination, 6);

        var between = deliveries().between(destination, 2, 5, Long.MAX_VALUE);

        assertThat(between).extracting(PendingDelivery::sequence).containsExactly(3L, 4L, 5L);
        assertThat(between.getFirst().contentType()).isEqualTo("text/plain");
        assertThat(new String(between.getFirst().payload(), StandardCharsets.UTF_8)).isEqualTo("m-3");
        assertThat(between).extracting(PendingDelivery::messageId).doesNotHaveDuplicates();
    }

    @Test
    void aRangePastTheLastSequenceEndsThere() throws Exception {
        create(destination, CONFIG);
        ingest(destination, 3);

        assertThat(deliveries().between(destination, 1, 100, Long.MAX_VALUE)).extracting(PendingDelivery::sequence)
                .containsExactly(2L, 3L);
        assertThat(deliveries().between(destination, 3, 100, Long.MAX_VALUE)).isEmpty();
    }

    @Test
    void aRangeStopsOnceItsPayloadsReachTheByteLimitButHoldsOneAtLeast() throws Exception {
        create(destination, CONFIG);
        ingest(destination, 6); // payloads "m-1" .. "m-6", three bytes each

        assertThat(deliveries().between(destination, 0, 6, 7)).extracting(PendingDelivery::sequence)
                .containsExactly(1L, 2L, 3L);
        assertThat(deliveries().between(destination, 0, 6, 6)).extracting(PendingDelivery::sequence)
                .containsExactly(1L, 2L);
        assertThat(deliveries().between(destination, 4, 6, 1)).extracting(PendingDelivery::sequence)
                .containsExactly(5L);
    }
}
